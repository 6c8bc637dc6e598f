package org.dllab.models;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a small ONNX model file with protobuf-java's wire writer along onnx.proto's field numbers,
 * so that tests can make the checkpoints they load (no Python, no network): ModelProto (ir_version
 * 1, graph 7, opset_import 8), GraphProto (node 1, name 2, initializer 5, input 11, output 12),
 * NodeProto (input 1, output 2, name 3, op_type 4, attribute 5), AttributeProto (name 1, i 3, ints
 * 8, type 20), TensorProto (dims 1, data_type 2, name 8, raw_data 9), ValueInfoProto (name 1, type
 * 2 → tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1 | dim_param 2).
 */
public final class OnnxModelWriter {

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** A node; attribute values are Long (INT) or long[] (INTS). */
    public OnnxModelWriter node(
            String op, List<String> in, List<String> out, Map<String, Object> attributes)
            throws IOException {
        nodes.add(
                message(
                        o -> {
                            for (String s : in) {
                                o.writeString(1, s);
                            }
                            for (String s : out) {
                                o.writeString(2, s);
                            }
                            o.writeString(3, op + "_" + nodes.size());
                            o.writeString(4, op);
                            for (Map.Entry<String, Object> a : attributes.entrySet()) {
                                o.writeByteArray(
                                        5,
                                        message(
                                                at -> {
                                                    at.writeString(1, a.getKey());
                                                    if (a.getValue() instanceof Long v) {
                                                        at.writeInt64(3, v);
                                                        at.writeInt32(20, 2); // INT
                                                    } else {
                                                        for (long v : (long[]) a.getValue()) {
                                                            at.writeInt64(8, v);
                                                        }
                                                        at.writeInt32(20, 7); // INTS
                                                    }
                                                }));
                            }
                        }));
        return this;
    }

    /** A float32 weight. */
    public OnnxModelWriter initializer(String name, long[] dims, float[] values)
            throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, 1, raw.array()));
        return this;
    }

    /** An int64 constant (a Reshape's shape). */
    public OnnxModelWriter initializer(String name, long[] values) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(tensor(name, new long[] {values.length}, 7, raw.array()));
        return this;
    }

    /** A float32 graph input; a dimension is a Long (fixed) or a String (named, dynamic). */
    public OnnxModelWriter input(String name, Object... dims) throws IOException {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    /** A float32 graph output. */
    public OnnxModelWriter output(String name, Object... dims) throws IOException {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    public void write(Path file) throws IOException {
        byte[] graph =
                message(
                        g -> {
                            for (byte[] n : nodes) {
                                g.writeByteArray(1, n);
                            }
                            g.writeString(2, "test-graph");
                            for (byte[] t : initializers) {
                                g.writeByteArray(5, t);
                            }
                            for (byte[] v : inputs) {
                                g.writeByteArray(11, v);
                            }
                            for (byte[] v : outputs) {
                                g.writeByteArray(12, v);
                            }
                        });
        Files.write(
                file,
                message(
                        mo -> {
                            mo.writeInt64(1, 8); // IR version 8
                            mo.writeString(2, "dllab-test");
                            mo.writeByteArray(7, graph);
                            mo.writeByteArray(
                                    8,
                                    message(
                                            op -> {
                                                op.writeString(1, "");
                                                op.writeInt64(2, 13); // opset 13
                                            }));
                        }));
    }

    private static byte[] tensor(String name, long[] dims, int type, byte[] raw)
            throws IOException {
        return message(
                t -> {
                    for (long d : dims) {
                        t.writeInt64(1, d);
                    }
                    t.writeInt32(2, type);
                    t.writeString(8, name);
                    t.writeByteArray(9, raw);
                });
    }

    private static byte[] valueInfo(String name, Object... dims) throws IOException {
        byte[] shape =
                message(
                        s -> {
                            for (Object d : dims) {
                                s.writeByteArray(
                                        1,
                                        message(
                                                dim -> {
                                                    if (d instanceof String p) {
                                                        dim.writeString(2, p);
                                                    } else {
                                                        dim.writeInt64(1, ((Number) d).longValue());
                                                    }
                                                }));
                            }
                        });
        byte[] tensorType =
                message(
                        tt -> {
                            tt.writeInt32(1, 1); // float
                            tt.writeByteArray(2, shape);
                        });
        return message(
                v -> {
                    v.writeString(1, name);
                    v.writeByteArray(2, message(t -> t.writeByteArray(1, tensorType)));
                });
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
