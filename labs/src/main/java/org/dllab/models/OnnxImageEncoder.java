package org.dllab.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dllab.data.ImageSet;

/**
 * A pretrained image encoder exported to ONNX (a torchvision ResNet with its last layer removed, a
 * Hugging Face ViT or DINOv2 from an {@code onnx/} folder, ...) run by ONNX Runtime as a frozen
 * feature extractor: images in, one feature vector per image out, for a linear probe ({@link
 * SequenceClassifier#linearProbe(SequenceClassifier.Head, NDArray, int[], int, float,
 * SequenceClassifier.ProbeListener)}).
 *
 * <p>The model's first input takes (batch, 3, side, side) float32 pixels, normalised per channel
 * (ImageNet's mean and standard deviation unless the checkpoint's card says otherwise). The output
 * read is the one named {@code pooler_output} when there is one, else the first, unless chosen by
 * name; it becomes one vector per image: a (batch, dim) output as it is, (batch, tokens, dim) by
 * its first token (a ViT's [CLS]), (batch, channels, h, w) by the mean over h and w (a CNN's global
 * average pooling). docs/final-project.md says which published checkpoints load.
 */
public final class OnnxImageEncoder implements AutoCloseable {

    /**
     * ImageNet's per-channel mean (RGB, pixels in 0..1): what torchvision's and most Hugging Face
     * image models expect.
     */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    /** ImageNet's per-channel standard deviation. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** The side used when the model's input size is dynamic: ImageNet models' training size. */
    public static final int DEFAULT_SIDE = 224;

    private final OrtSession session;
    private final String inputName;
    private final int side;
    private final String outputName;

    private OnnxImageEncoder(OrtSession session, String inputName, int side, String outputName) {
        this.session = session;
        this.inputName = inputName;
        this.side = side;
        this.outputName = outputName;
    }

    /**
     * Opens an ONNX image encoder.
     *
     * @param file the .onnx file
     * @param output the output to read, or null for {@code pooler_output} if present, else the
     *     first
     * @return the encoder (close it)
     * @throws IOException when the file is missing or not an ONNX model, ONNX Runtime is absent,
     *     the first input is not images, or the output does not exist (the message lists the
     *     outputs)
     */
    public static OnnxImageEncoder load(Path file, String output) throws IOException {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".onnx")) {
            throw new IOException(
                    file.toAbsolutePath()
                            + " is not an .onnx file: export the backbone to ONNX (docs/final-project.md says how)");
        }
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment");
        } catch (ClassNotFoundException e) {
            throw new IOException(
                    "ONNX Runtime is not on the classpath: add ai.djl.onnxruntime:onnxruntime-engine (the dllab command and 'project new' "
                            + "poms have it)",
                    e);
        }
        OrtSession session;
        try {
            // ONNX Runtime's own Java API (it comes with DJL's engine): DJL's block does not
            // describe input shapes
            session =
                    OrtEnvironment.getEnvironment()
                            .createSession(
                                    file.toAbsolutePath().toString(),
                                    new OrtSession.SessionOptions());
        } catch (OrtException | RuntimeException e) {
            throw new IOException(
                    file.toAbsolutePath()
                            + ": ONNX Runtime cannot load it ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        try {
            Map.Entry<String, NodeInfo> first = session.getInputInfo().entrySet().iterator().next();
            long[] in =
                    first.getValue().getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
            if (in.length != 4 || (in[1] != 3 && in[1] != -1)) {
                throw new IOException(
                        file
                                + ": the first input '"
                                + first.getKey()
                                + "' is "
                                + java.util.Arrays.toString(in)
                                + ", not images (batch, 3, height, width): is this an image model?");
            }
            int side = in[2] > 0 ? (int) in[2] : DEFAULT_SIDE;
            if (in[3] > 0 && in[3] != side) {
                throw new IOException(
                        file
                                + ": the input is "
                                + java.util.Arrays.toString(in)
                                + "; only square inputs are supported");
            }
            List<String> outputs = new ArrayList<>(session.getOutputNames());
            String chosen =
                    output != null
                            ? output
                            : outputs.contains("pooler_output") ? "pooler_output" : outputs.get(0);
            if (!outputs.contains(chosen)) {
                throw new IOException(
                        file + " has no output '" + chosen + "'; its outputs: " + outputs);
            }
            return new OnnxImageEncoder(session, first.getKey(), side, chosen);
        } catch (OrtException | IOException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the load failed already; that is the error to report
            }
            throw e instanceof IOException io
                    ? io
                    : new IOException(file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The image side the model takes: read images at this size.
     *
     * @return pixels
     */
    public int side() {
        return side;
    }

    /**
     * The output read.
     *
     * @return its name
     */
    public String outputName() {
        return outputName;
    }

    /**
     * One feature vector per image.
     *
     * @param images RGB images of {@link #side()} pixels
     * @param mean per-channel mean of the pixels in 0..1 (e.g. {@link #IMAGENET_MEAN})
     * @param std per-channel standard deviation
     * @param batch images per forward pass
     * @return {@code [image][feature]}
     */
    public float[][] features(ImageSet images, float[] mean, float[] std, int batch) {
        if (images.channels() != 3 || images.height() != side || images.width() != side) {
            throw new IllegalArgumentException(
                    "images of "
                            + images.channels()
                            + "x"
                            + images.height()
                            + "x"
                            + images.width()
                            + "; this encoder takes 3x"
                            + side
                            + "x"
                            + side
                            + " (read them at side "
                            + side
                            + ")");
        }
        float[][] out = new float[images.size()][];
        int plane = side * side;
        for (int from = 0; from < images.size(); from += batch) {
            int n = Math.min(batch, images.size() - from);
            float[] x = new float[n * 3 * plane];
            for (int i = 0; i < n; i++) {
                int base = (from + i) * images.imageBytes();
                for (int c = 0; c < 3; c++) {
                    for (int k = 0; k < plane; k++) {
                        x[(i * 3 + c) * plane + k] =
                                ((images.pixels()[base + c * plane + k] & 0xFF) / 255f - mean[c])
                                        / std[c];
                    }
                }
            }
            try (OnnxTensor pixels =
                            OnnxTensor.createTensor(
                                    OrtEnvironment.getEnvironment(),
                                    FloatBuffer.wrap(x),
                                    new long[] {n, 3, side, side});
                    OrtSession.Result result =
                            session.run(Map.of(inputName, pixels), Set.of(outputName))) {
                OnnxTensor y = (OnnxTensor) result.get(outputName).orElseThrow();
                FloatBuffer values = y.getFloatBuffer();
                float[] flat = new float[values.remaining()];
                values.get(flat);
                System.arraycopy(pool(flat, y.getInfo().getShape()), 0, out, from, n);
            } catch (OrtException e) {
                throw new IllegalStateException(
                        "ONNX Runtime failed on images "
                                + from
                                + ".."
                                + (from + n - 1)
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return out;
    }

    /**
     * One vector per batch row: (B, D) as it is, (B, T, D) its first token, (B, C, H, W) the mean
     * over H and W.
     *
     * @param values the output, row-major
     * @param shape its shape
     * @return {@code [row][feature]}
     */
    static float[][] pool(float[] values, long[] shape) {
        int rows = (int) shape[0];
        float[][] out = new float[rows][];
        switch (shape.length) {
            case 2 -> {
                int d = (int) shape[1];
                for (int r = 0; r < rows; r++) {
                    out[r] = java.util.Arrays.copyOfRange(values, r * d, (r + 1) * d);
                }
            }
            case 3 -> {
                int t = (int) shape[1];
                int d = (int) shape[2];
                for (int r = 0; r < rows; r++) {
                    out[r] = java.util.Arrays.copyOfRange(values, r * t * d, r * t * d + d);
                }
            }
            case 4 -> {
                int c = (int) shape[1];
                int hw = (int) (shape[2] * shape[3]);
                for (int r = 0; r < rows; r++) {
                    out[r] = new float[c];
                    for (int ch = 0; ch < c; ch++) {
                        double sum = 0;
                        for (int k = 0; k < hw; k++) {
                            sum += values[(r * c + ch) * hw + k];
                        }
                        out[r][ch] = (float) (sum / hw);
                    }
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "an output of shape "
                                    + java.util.Arrays.toString(shape)
                                    + " is not features: expected (batch, dim), (batch, tokens, dim) or (batch, channels, h, w)");
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "closing the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
