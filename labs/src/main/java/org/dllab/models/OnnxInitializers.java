package org.dllab.models;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights stored in an ONNX model file (its graph's initializers) and the MatMul nodes that
 * read them, parsed with protobuf-java's wire reader along onnx.proto's field numbers
 * (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto.input = 1, name = 3,
 * op_type = 4; TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9,
 * data_location = 14). Only float32 tensors stored inside the file are read; an int8 or externally
 * stored tensor is an error naming it.
 */
public final class OnnxInitializers {

    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT

    private OnnxInitializers() {}

    /**
     * One float32 initializer.
     *
     * @param name its name in the graph
     * @param dims its shape
     * @param values row-major values
     */
    public record Tensor(String name, long[] dims, float[] values) {}

    /**
     * What the file holds.
     *
     * @param tensors initializers by name, in file order
     * @param matMulWeights for each MatMul node whose second input is an initializer: node name →
     *     initializer name
     */
    public record Graph(Map<String, Tensor> tensors, Map<String, String> matMulWeights) {}

    /**
     * Reads the initializers and MatMul nodes.
     *
     * @param in the .onnx bytes (not closed)
     * @param source names the file in errors
     * @return the graph's weights
     * @throws IOException when the bytes are not an ONNX model or a weight is not float32 data in
     *     the file
     */
    public static Graph read(InputStream in, String source) throws IOException {
        CodedInputStream model = CodedInputStream.newInstance(in);
        model.setSizeLimit(Integer.MAX_VALUE);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> matMuls = new LinkedHashMap<>();
        boolean sawGraph = false;
        try {
            for (int tag = model.readTag(); tag != 0; tag = model.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 7
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    sawGraph = true;
                    int limit = model.pushLimit(model.readRawVarint32());
                    graph(model, tensors, matMuls, source);
                    model.popLimit(limit);
                } else {
                    model.skipField(tag);
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(source + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        if (!sawGraph || tensors.isEmpty()) {
            throw new IOException(
                    source
                            + ": no graph with weights (an ONNX ModelProto has its graph in field 7)");
        }
        return new Graph(tensors, matMuls);
    }

    private static void graph(
            CodedInputStream g,
            Map<String, Tensor> tensors,
            Map<String, String> matMuls,
            String source)
            throws IOException {
        List<String[]> nodes = new ArrayList<>();
        for (int tag = g.readTag(); tag != 0; tag = g.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = g.pushLimit(g.readRawVarint32());
                nodes.add(node(g));
                g.popLimit(limit);
            } else if (field == 5
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = g.pushLimit(g.readRawVarint32());
                Tensor t = tensor(g, source);
                g.popLimit(limit);
                tensors.put(t.name(), t);
            } else {
                g.skipField(tag);
            }
        }
        for (String[] n : nodes) { // {name, op_type, input0, input1}
            if ("MatMul".equals(n[1]) && n[3] != null && tensors.containsKey(n[3])) {
                matMuls.put(n[0], n[3]);
            }
        }
    }

    private static String[] node(CodedInputStream n) throws IOException {
        String name = "";
        String op = "";
        List<String> inputs = new ArrayList<>();
        for (int tag = n.readTag(); tag != 0; tag = n.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(n.readStringRequireUtf8());
                case 3 -> name = n.readStringRequireUtf8();
                case 4 -> op = n.readStringRequireUtf8();
                default -> n.skipField(tag);
            }
        }
        return new String[] {
            name,
            op,
            inputs.isEmpty() ? null : inputs.get(0),
            inputs.size() < 2 ? null : inputs.get(1)
        };
    }

    private static Tensor tensor(CodedInputStream t, String source) throws IOException {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        ByteString raw = null;
        List<Float> floats = new ArrayList<>();
        boolean external = false;
        for (int tag = t.readTag(); tag != 0; tag = t.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> {
                    if (packed) {
                        int limit = t.pushLimit(t.readRawVarint32());
                        while (t.getBytesUntilLimit() > 0) {
                            dims.add(t.readInt64());
                        }
                        t.popLimit(limit);
                    } else {
                        dims.add(t.readInt64());
                    }
                }
                case 2 -> type = t.readInt32();
                case 4 -> {
                    if (packed) {
                        int limit = t.pushLimit(t.readRawVarint32());
                        while (t.getBytesUntilLimit() > 0) {
                            floats.add(t.readFloat());
                        }
                        t.popLimit(limit);
                    } else {
                        floats.add(t.readFloat());
                    }
                }
                case 8 -> name = t.readStringRequireUtf8();
                case 9 -> raw = t.readBytes();
                case 14 -> external = t.readEnum() == 1;
                default -> t.skipField(tag);
            }
        }
        if (external) {
            throw new IOException(
                    source
                            + ": tensor '"
                            + name
                            + "' is stored outside the file (external data is not read here)");
        }
        long n = 1;
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        for (long d : shape) {
            n *= d;
        }
        if (type != FLOAT) {
            return new Tensor(
                    name, shape, null); // kept by name, without values (e.g. int64 shape constants)
        }
        float[] values;
        if (raw != null) {
            FloatBuffer fb =
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            values = new float[fb.remaining()];
            fb.get(values);
        } else {
            values = new float[floats.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = floats.get(i);
            }
        }
        if (values.length != n) {
            throw new IOException(
                    source
                            + ": tensor '"
                            + name
                            + "' has "
                            + values.length
                            + " values for the shape "
                            + java.util.Arrays.toString(shape));
        }
        return new Tensor(name, shape, values);
    }
}
