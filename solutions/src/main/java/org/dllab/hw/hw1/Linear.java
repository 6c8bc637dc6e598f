package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/** A fully connected layer, {@code y = x W + b}, with W of shape (in, out) and b of shape (out). */
public final class Linear implements Layer {

    private final NDArray weight;
    private final NDArray bias;
    private NDArray input;
    private NDArray gradWeight;
    private NDArray gradBias;

    /**
     * Creates the layer with He-initialised weights (normal, std sqrt(2 / in)) and zero biases.
     *
     * @param manager owns the parameters
     * @param in input features
     * @param out output features
     * @param type FLOAT32 to train, FLOAT64 to check gradients
     * @param random the source of the initial weights
     */
    public Linear(NDManager manager, int in, int out, DataType type, Random random) {
        double[] w = new double[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian() * Math.sqrt(2.0 / in);
        }
        this.weight = manager.create(w, new Shape(in, out)).toType(type, false);
        this.bias = manager.zeros(new Shape(out), type);
    }

    @Override
    public NDArray forward(NDArray x) {
        input = x;
        return x.matMul(weight).add(bias); // SOLUTION 計算 y = xW + b | compute y = x W + b
    }

    @Override
    public NDArray backward(NDArray gradOutput) {
        // BEGIN SOLUTION 計算 dL/dW、dL/db（存起來）並回傳 dL/dx | compute and store dL/dW and dL/db, return dL/dx
        gradWeight = input.transpose().matMul(gradOutput);
        gradBias = gradOutput.sum(new int[] {0});
        return gradOutput.matMul(weight.transpose());
        // END SOLUTION
    }

    @Override
    public List<NDArray> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public List<NDArray> gradients() {
        return List.of(gradWeight, gradBias);
    }
}
