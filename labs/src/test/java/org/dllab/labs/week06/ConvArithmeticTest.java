package org.dllab.labs.week06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.run.ModelSize;
import org.junit.jupiter.api.Test;

class ConvArithmeticTest {

    @Test
    void tableCasesMatchDjl() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            for (CifarCnnLab.ConvCase c : CifarCnnLab.convArithmetic(m)) {
                assertEquals(c.djl(), c.formula(), c.toString());
            }
        }
    }

    @Test
    void randomCasesAndParameterCountsMatchDjl() {
        DjlRuntime.prepare();
        Random r = new Random(6);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int t = 0; t < 25; t++) {
                int in = 5 + r.nextInt(30);
                int k = 1 + r.nextInt(5);
                int p = r.nextInt(3);
                int s = 1 + r.nextInt(3);
                int d = 1 + r.nextInt(2);
                int cin = 1 + r.nextInt(3);
                int cout = 1 + r.nextInt(4);
                if (in + 2 * p < d * (k - 1) + 1) {
                    int[] bad = {in, k, p, s, d};
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ConvArithmetic.outputSize(
                                            bad[0], bad[1], bad[2], bad[3], bad[4]));
                    continue;
                }
                Block conv =
                        Conv2d.builder()
                                .setKernelShape(new Shape(k, k))
                                .optPadding(new Shape(p, p))
                                .optStride(new Shape(s, s))
                                .optDilation(new Shape(d, d))
                                .setFilters(cout)
                                .build();
                try (NDManager sub = m.newSubManager()) {
                    conv.initialize(sub, DataType.FLOAT32, new Shape(1, cin, in, in));
                    Shape out =
                            conv.forward(
                                            new ParameterStore(sub, false),
                                            new NDList(sub.zeros(new Shape(1, cin, in, in))),
                                            false)
                                    .singletonOrThrow()
                                    .getShape();
                    String what = "in " + in + " k " + k + " p " + p + " s " + s + " d " + d;
                    assertEquals(out.get(2), ConvArithmetic.outputSize(in, k, p, s, d), what);
                    assertEquals(
                            ModelSize.parameters(conv),
                            ConvArithmetic.parameters(cin, cout, k, true),
                            what);
                }
            }
        }
    }
}
