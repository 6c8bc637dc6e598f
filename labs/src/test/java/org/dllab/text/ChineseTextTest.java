package org.dllab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * jieba's published outputs, and Traditional and full-width input reading as the Simplified data
 * does.
 */
class ChineseTextTest {

    @Test
    void wordsMatchJiebasPublishedAccurateMode() {
        // the Python jieba README's examples of the default (accurate) mode, the notebooks'
        // segmenter
        assertEquals(
                List.of("我", "来到", "北京", "清华大学"),
                ChineseText.tokens("我来到北京清华大学", ChineseText.Unit.WORDS));
        assertEquals(
                List.of("他", "来到", "了", "网易", "杭研", "大厦"),
                ChineseText.tokens("他来到了网易杭研大厦", ChineseText.Unit.WORDS),
                "杭研 is not in the dictionary: the HMM finds it");
    }

    @Test
    void traditionalInputGetsTheSimplifiedTokens() {
        String simplified = "这家外卖送餐很快，味道很好，下次还会再点";
        String traditional = "這家外賣送餐很快，味道很好，下次還會再點";
        for (ChineseText.Unit unit : ChineseText.Unit.values()) {
            assertEquals(
                    ChineseText.tokens(simplified, unit),
                    ChineseText.tokens(traditional, unit),
                    unit.name());
        }
        assertEquals(
                List.of("这家", "外卖", "送餐", "很快", ",", "味道", "很", "好", ",", "下次", "还会", "再点"),
                ChineseText.tokens(traditional, ChineseText.Unit.WORDS));
        assertEquals(
                simplified.replace('，', ','),
                ChineseText.normalize(simplified),
                "Simplified text passes unchanged (but NFKC)");
    }

    @Test
    void normalisationFoldsWidthCaseAndSpace() {
        assertEquals("abc,123!", ChineseText.normalize("ＡＢＣ，１２３！"));
        assertEquals("很好 吃", ChineseText.normalize("  很好\t\n吃 "));
        assertEquals(
                List.of("好", "吃", "的", "a"),
                ChineseText.tokens("好吃 的 A", ChineseText.Unit.CHARACTERS),
                "spaces are no tokens");
        assertEquals(List.of(), ChineseText.tokens(" \t", ChineseText.Unit.WORDS));
    }
}
