package org.dllab.labs.week06;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.dllab.core.DjlRuntime;
import org.dllab.data.ImageAugmentation;
import org.dllab.models.SimpleCnn;
import org.dllab.run.ModelSize;
import org.junit.jupiter.api.Test;

class NetworksTest {

    private static NDArray forward(Block b, NDManager m, NDArray x, boolean training) {
        return b.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
    }

    @Test
    void simpleCnnHasTheCourseShapeAndDropoutOnlyInTraining() {
        DjlRuntime.engine(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = SimpleCnn.build();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            // 896 + 18,496 + 73,856 (convs) + 524,544 + 2,570 (linear)
            assertEquals(620_362, ModelSize.parameters(net));
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            assertEquals(new Shape(2, 10), forward(net, m, x, false).getShape());
            assertArrayEquals(
                    forward(net, m, x, false).toFloatArray(),
                    forward(net, m, x, false).toFloatArray(),
                    0f);
            assertFalse(
                    java.util.Arrays.equals(
                            forward(net, m, x, true).toFloatArray(),
                            forward(net, m, x, true).toFloatArray()),
                    "dropout must make two training passes differ");
        }
    }

    @Test
    void smallResNetMapsImagesToLogits() {
        DjlRuntime.engine(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = SmallResNet.build();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            assertEquals(176_378, ModelSize.parameters(net));
            assertEquals(
                    new Shape(2, 10),
                    forward(net, m, m.randomNormal(new Shape(2, 3, 32, 32)), false).getShape());
            Block block = SmallResNet.residual(8, 2, true);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 4, 16, 16));
            assertEquals(
                    new Shape(1, 8, 8, 8),
                    forward(block, m, m.randomNormal(new Shape(1, 4, 16, 16)), false).getShape());
        }
    }

    @Test
    void augmentationKeepsShapesIsSeededAndFlipsOrShifts() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[2 * 1 * 4 * 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            NDArray x = m.create(v, new Shape(2, 1, 4, 4));
            NDArray a = new ImageAugmentation(2, true, 9).transform(x);
            NDArray b = new ImageAugmentation(2, true, 9).transform(x);
            assertEquals(x.getShape(), a.getShape());
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
            // flip only: every image is either unchanged or mirrored left-right
            NDArray f = new ImageAugmentation(0, true, 3).transform(x);
            for (int i = 0; i < 2; i++) {
                float[] img = f.get(i).toFloatArray();
                boolean same = java.util.Arrays.equals(img, x.get(i).toFloatArray());
                boolean mirrored = java.util.Arrays.equals(img, x.get(i).flip(2).toFloatArray());
                assertTrue(same || mirrored);
            }
        }
    }
}
