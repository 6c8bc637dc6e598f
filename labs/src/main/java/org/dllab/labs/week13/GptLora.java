package org.dllab.labs.week13;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dllab.core.Scalars;
import org.dllab.models.Gpt2;

/**
 * LoRA on a GPT-2 (Hu et al. 2021): beside each chosen attention projection W, two small matrices A
 * (E, r) and B (r, E) with {@code y = x W + (alpha / r) Dropout(x) A B}; W stays frozen, only A and
 * B train. B starts at 0, so the adapted model begins exactly as the base; {@link #merge} folds
 * {@code (alpha / r) A B} into W afterwards, so the merged model costs nothing extra at inference.
 */
public final class GptLora implements Gpt2.Adapter {

    /** One projection's adapter, A and B in the Conv1D (in, out) layout. */
    private record Pair(NDArray a, NDArray b, float scale, float dropout) {}

    private final Map<String, Pair> adapters = new LinkedHashMap<>();

    private GptLora() {}

    /**
     * Freezes the model and puts adapters beside the chosen projections of every block.
     *
     * @param model the base model
     * @param rank r
     * @param alpha the update is scaled by alpha / r
     * @param dropout dropout on the adapters' inputs while training
     * @param targets any of "q", "k", "v" (the three thirds of {@code c_attn}) and "o" ({@code
     *     c_proj})
     * @return the adapters, attached to the model
     */
    public static GptLora attach(
            Gpt2 model, int rank, float alpha, float dropout, Set<String> targets) {
        for (String target : targets) {
            if (!Set.of("q", "k", "v", "o").contains(target)) {
                throw new IllegalArgumentException(
                        "LoRA targets are q, k, v and o, not '" + target + "'");
            }
        }
        int e = model.config().embed();
        NDManager manager = model.manager();
        model.parameters().values().forEach(p -> p.setRequiresGradient(false));
        GptLora lora = new GptLora();
        for (int l = 0; l < model.config().layers(); l++) {
            for (String target : List.of("q", "k", "v", "o")) {
                if (!targets.contains(target)) {
                    continue;
                }
                float bound = (float) (1 / Math.sqrt(e)); // PEFT's A: Kaiming-uniform, a = sqrt(5)
                NDArray a = manager.randomUniform(-bound, bound, new Shape(e, rank));
                NDArray b = manager.zeros(new Shape(rank, e));
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                lora.adapters.put(
                        "h." + l + ".attn." + target, new Pair(a, b, alpha / rank, dropout));
            }
        }
        model.attach(lora);
        return lora;
    }

    @Override
    public NDArray adapt(String target, NDArray x, NDArray y, boolean training) {
        Pair lora = adapters.get(target);
        if (lora == null) {
            return y;
        }
        NDArray in = lora.dropout() > 0 ? Dropout.dropout(x, lora.dropout(), training).head() : x;
        return y.add(Scalars.mul(in.matMul(lora.a()).matMul(lora.b()), lora.scale()));
    }

    /**
     * The adapters' parameters, named {@code <target>.lora_A} and {@code .lora_B} (as PEFT names
     * them).
     *
     * @return name to array
     */
    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach(
                (k, v) -> {
                    out.put(k + ".lora_A", v.a());
                    out.put(k + ".lora_B", v.b());
                });
        return out;
    }

    /**
     * Folds every adapter into its base weight ({@code W += (alpha / r) A B}) and detaches: the
     * merged model computes the same function with no extra work at inference.
     *
     * @param model the model the adapters are attached to
     */
    public void merge(Gpt2 model) {
        int e = model.config().embed();
        for (Map.Entry<String, Pair> entry : adapters.entrySet()) {
            String key = entry.getKey();
            Pair lora = entry.getValue();
            String layer = key.substring(0, key.indexOf(".attn.") + 1);
            String target = key.substring(key.lastIndexOf('.') + 1);
            NDArray w =
                    model.parameters()
                            .get(
                                    layer
                                            + (target.equals("o")
                                                    ? "attn.c_proj.weight"
                                                    : "attn.c_attn.weight"));
            try (NDArray delta = Scalars.mul(lora.a().matMul(lora.b()), lora.scale())) {
                float[] values = w.toFloatArray();
                float[] d = delta.toFloatArray();
                int columns = (int) w.getShape().get(1);
                int offset = switch (target) { // c_attn holds q, k and v side by side
                            case "k" -> e;
                            case "v" -> 2 * e;
                            default -> 0;
                        };
                for (int i = 0; i < e; i++) {
                    for (int j = 0; j < e; j++) {
                        values[i * columns + offset + j] += d[i * e + j];
                    }
                }
                boolean grad = w.hasGradient();
                w.setRequiresGradient(false);
                try (NDArray merged = model.manager().create(values, w.getShape())) {
                    w.muli(0).addi(merged);
                }
                w.setRequiresGradient(grad);
            }
            lora.a().close();
            lora.b().close();
        }
        adapters.clear();
        model.attach(null);
    }
}
