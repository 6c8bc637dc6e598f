package org.dllab.labs.week13;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dllab.data.Gpt2Bpe;

/**
 * Instruction-tuning examples from Self-Instruct's seed tasks, in a fixed prompt format; the loss
 * counts only the response's tokens (the model is taught to answer, not to repeat instructions).
 *
 * <pre>
 *   ### Instruction:
 *   {instruction}
 *   ### Input:            (only when there is one)
 *   {input}
 *   ### Response:
 *   {output}&lt;|endoftext|&gt;
 * </pre>
 */
public final class InstructionData {

    /**
     * One task.
     *
     * @param name its name
     * @param instruction the instruction
     * @param input the input, possibly empty
     * @param output the reference answer
     */
    public record Task(String name, String instruction, String input, String output) {

        /**
         * The prompt, up to and including "### Response:\n".
         *
         * @return the text
         */
        public String prompt() {
            return "### Instruction:\n"
                    + instruction
                    + "\n"
                    + (input.isBlank() ? "" : "### Input:\n" + input + "\n")
                    + "### Response:\n";
        }
    }

    /**
     * An example as token ids with the positions that count.
     *
     * @param ids prompt + response + end of text, GPT-2 ids, truncated
     * @param responseStart the index of the first response token in {@code ids}
     */
    public record Example(long[] ids, int responseStart) {}

    private InstructionData() {}

    /**
     * Reads {@code seed_tasks.jsonl}.
     *
     * @param folder the dataset folder
     * @return the tasks (the first instance of each)
     * @throws IOException when missing or malformed (the line is named)
     */
    public static List<Task> seedTasks(Path folder) throws IOException {
        Path file = folder.resolve("seed_tasks.jsonl");
        List<Task> tasks = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                JsonArray instances = o.getAsJsonArray("instances");
                JsonObject first = instances.get(0).getAsJsonObject();
                tasks.add(
                        new Task(
                                o.get("name").getAsString(),
                                o.get("instruction").getAsString(),
                                first.get("input").getAsString(),
                                first.get("output").getAsString()));
            } catch (RuntimeException e) {
                throw new IOException(
                        file
                                + " line "
                                + (i + 1)
                                + ": not a Self-Instruct task ("
                                + e.getMessage()
                                + ")",
                        e);
            }
        }
        return tasks;
    }

    /**
     * Tokenises a task.
     *
     * @param tokenizer the GPT-2 tokenizer
     * @param task the task
     * @param maxTokens the most tokens kept (the model's context + 1)
     * @return the example
     */
    public static Example encode(HuggingFaceTokenizer tokenizer, Task task, int maxTokens) {
        long[] prompt = tokenizer.encode(task.prompt()).getIds();
        long[] response = tokenizer.encode(task.output()).getIds();
        long[] all = new long[prompt.length + response.length + 1];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(response, 0, all, prompt.length, response.length);
        all[all.length - 1] = Gpt2Bpe.END_OF_TEXT;
        return new Example(
                Arrays.copyOf(all, Math.min(all.length, maxTokens)),
                Math.min(prompt.length, maxTokens));
    }

    /**
     * A padded batch: ids (B, T + 1) and the weights (B, T) of the targets that count — those that
     * are response tokens (the target at position i is token i + 1).
     *
     * @param examples the examples (ids already mapped to the model's vocabulary)
     * @param pad the id used for padding (its targets weigh 0)
     * @return {ids, weights}, row-major
     */
    public static Object[] batch(List<Example> examples, long pad) {
        int longest = examples.stream().mapToInt(e -> e.ids().length).max().orElse(2);
        long[] ids = new long[examples.size() * longest];
        float[] weights = new float[examples.size() * (longest - 1)];
        Arrays.fill(ids, pad);
        for (int b = 0; b < examples.size(); b++) {
            Example e = examples.get(b);
            System.arraycopy(e.ids(), 0, ids, b * longest, e.ids().length);
            for (int i = 0; i + 1 < e.ids().length; i++) {
                if (i + 1 >= e.responseStart()) {
                    weights[b * (longest - 1) + i] = 1;
                }
            }
        }
        return new Object[] {ids, weights, longest};
    }
}
