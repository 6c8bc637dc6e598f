package org.dllab.labs.week11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DatasetCatalog;
import org.dllab.models.TextTransformer;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretraining lab: the two heads, the checkpoint round trip, and a smoke run on the real texts.
 */
class PretrainingLabTest {

    @TempDir Path tmp;

    @Test
    void bothHeadsHaveTheirShapesAndTheCheckpointLoadsAsSaved() throws Exception {
        DjlRuntime.engine(1);
        float[] saved;
        try (Model model = Model.newInstance("a")) {
            model.setBlock(TextTransformer.pretrainable(50, 16, 8, 2, 1));
            model.getBlock()
                    .initialize(
                            model.getNDManager(),
                            DataType.FLOAT32,
                            new Shape(2, 16),
                            new Shape(2, 16));
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray ids = m.randomInteger(5, 50, new Shape(2, 16), DataType.INT64);
                NDArray mask = m.ones(new Shape(2, 16), DataType.INT64);
                ParameterStore ps = new ParameterStore(m, false);
                assertEquals(
                        new Shape(2, 2),
                        model.getBlock()
                                .forward(ps, new NDList(ids, mask), false)
                                .head()
                                .getShape());
                NDList mlm =
                        model.getBlock()
                                .forward(
                                        ps,
                                        new NDList(ids, mask, m.create(new long[] {0, 5, 31})),
                                        false);
                assertEquals(
                        new Shape(3, 50),
                        mlm.get(0).getShape(),
                        "one row of vocabulary logits per asked position");
                assertEquals(
                        new Shape(3, 2), mlm.get(1).getShape(), "and one pair of polarity logits");
            }
            saved = model.getBlock().getParameters().get("tokens").getArray().toFloatArray();
            model.save(tmp, "t");
        }
        try (Model model = Model.newInstance("b")) {
            model.setBlock(TextTransformer.pretrainable(50, 16, 8, 2, 1));
            model.load(tmp, "t");
            try (ai.djl.training.Trainer trainer =
                    model.newTrainer(
                            new ai.djl.training.DefaultTrainingConfig(
                                    ai.djl.training.loss.Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(1, 16), new Shape(1, 16));
                assertArrayEquals(
                        saved,
                        model.getBlock().getParameters().get("tokens").getArray().toFloatArray(),
                        "the trainer's initialisation keeps the loaded weights");
            }
        }
    }

    @Test
    void balancedSubsetsAreBalancedAndSeeded() {
        var reviews = new java.util.ArrayList<org.dllab.data.Review>();
        for (int i = 0; i < 40; i++) {
            reviews.add(new org.dllab.data.Review("r" + i, i < 30, i < 30 ? 8 : 2, i));
        }
        int[] a = PretrainingLab.balancedSubset(reviews, 10, 4);
        assertArrayEquals(a, PretrainingLab.balancedSubset(reviews, 10, 4));
        assertEquals(5, java.util.Arrays.stream(a).filter(i -> reviews.get(i).positive()).count());
    }

    @Test
    void smokeRunOnRealTextWritesEverything() throws Exception {
        Path imdb = TestData.require(DatasetCatalog.IMDB).getParent();
        TestData.require(DatasetCatalog.TINY_SHAKESPEARE);
        Map<String, Double> s =
                new PretrainingLab()
                        .run(
                                new RunOptions()
                                        .epochs(1)
                                        .maxBatches(2)
                                        .limit(40)
                                        .dataDir(imdb)
                                        .quiet(true)
                                        .output(tmp.resolve("w11-pretraining")),
                                new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .summary();
        assertTrue(
                s.get("pretrain_final_loss") > 0 && s.get("pretrain_final_loss") < 20,
                s.toString());
        assertTrue(s.get("sentiment_words") >= 20, "seeds and mined words: " + s);
        assertTrue(s.get("pretrain_final_polarity_loss") > 0, "the polarity objective ran: " + s);
        assertTrue(s.get("pretrained_100") >= 0 && s.get("scratch_2000") <= 1, s.toString());
        Path dir = tmp.resolve("w11-pretraining");
        for (String f :
                new String[] {
                    "labels-vs-accuracy.png",
                    "pretraining-loss.png",
                    "report.html",
                    "run.json",
                    "tokenizer.json",
                    "checkpoint/pretrained-0000.params",
                    "sentiment-words.tsv"
                }) {
            assertTrue(Files.size(dir.resolve(f)) > 500, f);
        }
    }
}
