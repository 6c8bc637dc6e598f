package org.dllab.labs.week12;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.Gpt2Bpe;
import org.dllab.data.TextCorpus;
import org.dllab.labs.Lab;
import org.dllab.models.Generation;
import org.dllab.models.Gpt2;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.LoopCheckpoint;
import org.dllab.run.MemoryProbe;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.TrainingInterrupt;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 12: a GPT trained from scratch on Tiny Shakespeare with the real GPT-2 tokenizer, then
 * generating text four ways, with and without a KV cache. The model is {@link Gpt2} (Hugging Face's
 * layout: a real GPT-2 checkpoint loads into the same class — put {@code config.json} and {@code
 * model.safetensors} of {@code gpt2} or {@code distilgpt2} into a folder {@code gpt2} next to the
 * datasets and the lab continues a prompt with it too).
 *
 * <p>The output layer of a from-scratch model covers only the GPT-2 tokens that occur in the corpus
 * (about 11,000 of 50,257): the same tokens, ids mapped to a dense range, a fifth of the softmax's
 * work.
 */
public final class GptLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w12-gpt";

    /** Context: 128 tokens, about 400 characters of Shakespeare. */
    public static final int CONTEXT = 128;

    /** Width. */
    public static final int EMBED = 128;

    /** Heads. */
    public static final int HEADS = 4;

    /** Blocks. */
    public static final int LAYERS = 4;

    /** Windows per step. */
    public static final int BATCH = 16;

    /**
     * Passes over the training tokens (one pass = tokens / (batch x context) = 148 steps, about 1 s
     * each on 2 cores).
     */
    public static final int EPOCHS = 3;

    /** Peak learning rate (AdamW, warm-up then cosine). */
    public static final float LEARNING_RATE = 1e-3f;

    /** The prompt of the samples. */
    public static final String PROMPT = "ROMEO:";

    /** The pretrained Llama's prompt: it knows children's stories, not Shakespeare. */
    public static final String LLAMA_PROMPT = "Once upon a time";

    /**
     * The pretraining loop's progress, kept with the weights for {@code --resume}.
     *
     * @param step steps done
     * @param trainLoss the loss of every step
     * @param valLoss (step, validation loss) pairs
     * @param random the window sampler's random source ({@link LoopCheckpoint#encode})
     * @param trainSeconds training time so far
     */
    record Pretraining(
            int step,
            List<Double> trainLoss,
            List<double[]> valLoss,
            String random,
            double trainSeconds) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 12;
    }

    @Override
    public String title() {
        return "A GPT-2 in DJL: the real GPT-2 tokenizer, pretraining on Tiny Shakespeare, sampling, KV cache, HF checkpoints";
    }

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(
                LabOption.EPOCHS, LabOption.MAX_BATCHES, LabOption.LIMIT, LabOption.RESUME);
    }

    @Override
    public String cpuOnlyBecause() {
        return "it measures CPU token throughput, with and without the KV cache, on a model small enough for a laptop";
    }

    /**
     * Tiny Shakespeare in GPT-2 tokens, renumbered densely (the model's vocabulary is the ids that
     * occur).
     *
     * @param characters the text's length
     * @param toGpt2 dense id to GPT-2 id
     * @param toDense GPT-2 id to dense id
     * @param train the first 90 % of the tokens, dense
     * @param val the rest
     */
    record Corpus(
            int characters, long[] toGpt2, Map<Long, Integer> toDense, long[] train, long[] val) {

        int tokens() {
            return train.length + val.length;
        }
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Map<String, Double> summary = new LinkedHashMap<>();
        DataLocations locations =
                DataLocations.fromEnvironment(options.dataDir(), options.offline());
        Path bpeFolder = locations.resolve(DatasetCatalog.GPT2_BPE, log);
        try (HuggingFaceTokenizer tokenizer = Gpt2Bpe.tokenizer(bpeFolder);
                NDManager root = NDManager.newBaseManager()) {
            Corpus corpus = corpus(tokenizer, locations, options, log);
            summary.put("characters", (double) corpus.characters());
            summary.put("tokens", (double) corpus.tokens());
            summary.put("distinct_tokens", (double) corpus.toGpt2().length);
            Gpt2.Config config =
                    new Gpt2.Config(corpus.toGpt2().length, CONTEXT, EMBED, HEADS, LAYERS);
            int perEpoch = Math.max(1, corpus.train().length / (BATCH * CONTEXT));
            int steps = run.epochs(EPOCHS) * perEpoch;
            if (options.maxBatches() > 0) {
                steps = (int) Math.min(steps, options.maxBatches());
            }
            run.record()
                    .config("context", CONTEXT)
                    .config("embed", EMBED)
                    .config("heads", HEADS)
                    .config("layers", LAYERS)
                    .config("batch", BATCH)
                    .config("steps", steps)
                    .config("learning_rate", LEARNING_RATE)
                    .config("vocabulary", corpus.toGpt2().length);
            LoopCheckpoint<Pretraining> checkpoint = LoopCheckpoint.of(run, Pretraining.class);
            Pretraining resumed = checkpoint.restore();
            try (Gpt2 model =
                    resumed == null
                            ? new Gpt2(config, root)
                            : Gpt2.load(checkpoint.restoredWeights(), root)) {
                double rssStart = MemoryProbe.residentMegabytes();
                Pretraining trained =
                        pretrain(run, model, corpus, steps, checkpoint, resumed, root);
                double finalVal = trained.valLoss().get(trained.valLoss().size() - 1)[1];
                summary.put("parameters", (double) model.parameterCount());
                summary.put("steps", (double) steps);
                summary.put("validation_loss", finalVal);
                summary.put("validation_perplexity", Math.exp(finalVal));
                summary.put("train_seconds", trained.trainSeconds());
                summary.put("rss_growth_mb", MemoryProbe.residentMegabytes() - rssStart);
                plot(trained.trainLoss(), trained.valLoss(), runDir.resolve("loss.png"));
                model.save(runDir.resolve("checkpoint"));
                Files.writeString(
                        runDir.resolve("checkpoint/dense-to-gpt2.json"),
                        Arrays.toString(corpus.toGpt2()));

                long[] prompt =
                        Arrays.stream(tokenizer.encode(PROMPT).getIds())
                                .map(id -> corpus.toDense().getOrDefault(id, 0))
                                .toArray();
                int length = Math.min(80, CONTEXT - prompt.length);
                List<List<String>> sampleRows =
                        samples(model, tokenizer, corpus, prompt, length, options.seed(), log);
                double[] speed = cacheSpeed(model, prompt, length, summary, log);
                Path hf = bpeFolder.getParent().resolve("gpt2");
                List<List<String>> pretrainedRows = huggingFaceGpt2(hf, tokenizer, root);
                List<List<String>> llamaRows =
                        pretrainedLlama(locations, length, options.seed(), summary, log);
                report(
                        runDir,
                        corpus,
                        model.parameterCount(),
                        steps,
                        finalVal,
                        sampleRows,
                        length,
                        speed,
                        llamaRows,
                        hf,
                        pretrainedRows);
                run.record().result("samples", sampleRows);
            }
            double wall = run.seconds();
            run.save();
            if (log != null) {
                log.printf(
                        Locale.ROOT,
                        "Wall time %.0f s. Run folder: %s%n",
                        wall,
                        runDir.toAbsolutePath());
            }
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /** Reads Tiny Shakespeare ({@code --limit}: its first characters) and tokenizes it. */
    private static Corpus corpus(
            HuggingFaceTokenizer tokenizer,
            DataLocations locations,
            RunOptions options,
            PrintStream log)
            throws java.io.IOException {
        String text =
                TextCorpus.loadTinyShakespeare(
                        locations.resolve(DatasetCatalog.TINY_SHAKESPEARE, log));
        if (options.limit() != null) {
            text = text.substring(0, Math.min(text.length(), options.limit()));
        }
        long t0 = System.nanoTime();
        long[] gpt2Ids = tokenizer.encode(text).getIds();
        double tokenizeSeconds = (System.nanoTime() - t0) / 1e9;
        // the dense vocabulary: every GPT-2 id that occurs, in increasing order
        TreeSet<Long> seen = new TreeSet<>();
        for (long id : gpt2Ids) {
            seen.add(id);
        }
        long[] toGpt2 = seen.stream().mapToLong(Long::longValue).toArray();
        Map<Long, Integer> toDense = new java.util.HashMap<>();
        for (int i = 0; i < toGpt2.length; i++) {
            toDense.put(toGpt2[i], i);
        }
        long[] ids = Arrays.stream(gpt2Ids).map(id -> toDense.get(id)).toArray();
        int cut = (int) (ids.length * 0.9);
        long[] train = Arrays.copyOfRange(ids, 0, cut);
        long[] val = Arrays.copyOfRange(ids, cut, ids.length);
        if (val.length < CONTEXT + 1 || train.length < CONTEXT + 1) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "--limit %,d leaves %,d training and %,d validation tokens; each needs at least one window of"
                                    + " %d: use --limit 20000 or more",
                            text.length(),
                            train.length,
                            val.length,
                            CONTEXT + 1));
        }
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "Tiny Shakespeare: %,d characters -> %,d GPT-2 tokens (%.1f characters a token) in %.1f s; %,d distinct token"
                            + " ids of 50,257; %,d train / %,d validation tokens%n",
                    text.length(),
                    ids.length,
                    text.length() / (double) ids.length,
                    tokenizeSeconds,
                    toGpt2.length,
                    train.length,
                    val.length);
        }
        return new Corpus(text.length(), toGpt2, toDense, train, val);
    }

    /**
     * Pretrains the model (AdamW, warm-up then cosine), from a stopped run's state when there is
     * one; the state is saved at each validation and on a signal.
     */
    private static Pretraining pretrain(
            LabRun run,
            Gpt2 model,
            Corpus corpus,
            int steps,
            LoopCheckpoint<Pretraining> checkpoint,
            Pretraining resumed,
            NDManager root)
            throws java.io.IOException {
        PrintStream log = run.log();
        long[] train = corpus.train();
        long[] val = corpus.val();
        int evalEvery = Math.max(1, Math.min(150, steps / 4));
        int done = resumed == null ? 0 : resumed.step();
        List<Double> trainLoss =
                resumed == null ? new ArrayList<>() : new ArrayList<>(resumed.trainLoss());
        List<double[]> valLoss =
                resumed == null ? new ArrayList<>() : new ArrayList<>(resumed.valLoss());
        double earlierSeconds = resumed == null ? 0 : resumed.trainSeconds();
        Random random =
                resumed == null ? new Random(run.seed()) : LoopCheckpoint.decode(resumed.random());
        Tracker schedule =
                WarmUpTracker.builder()
                        .setMainTracker(
                                CosineTracker.builder()
                                        .setBaseValue(LEARNING_RATE)
                                        .optFinalValue(LEARNING_RATE / 10)
                                        .setMaxUpdates(Math.max(1, steps - steps / 10))
                                        .build())
                        .optWarmUpSteps(steps / 10)
                        .optWarmUpBeginValue(0f)
                        .build();
        // a resumed run goes on along the schedule (the optimizer counts from 1 again)
        Tracker tracker = done == 0 ? schedule : update -> schedule.getNewValue(update + done);
        Optimizer adamW =
                Optimizer.adamW()
                        .optLearningRateTracker(tracker)
                        .optWeightDecays(0.1f)
                        .optClipGrad(1f)
                        .build();
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "GPT: %d blocks, E %d, %d heads, context %d: %,d parameters; %d steps of %d x %d tokens%s%n",
                    LAYERS,
                    EMBED,
                    HEADS,
                    CONTEXT,
                    model.parameterCount(),
                    steps,
                    BATCH,
                    CONTEXT,
                    done == 0 ? "" : " (resuming after step " + done + ")");
        }
        long t1 = System.nanoTime();
        for (int step = done + 1; step <= steps; step++) {
            try (NDManager s = root.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        model.loss(
                                s.create(
                                        Gpt2.windows(train, BATCH, CONTEXT, random),
                                        new Shape(BATCH, CONTEXT + 1)));
                gc.backward(loss);
                trainLoss.add((double) loss.getFloat());
            }
            model.step(adamW);
            boolean evaluate = step % evalEvery == 0 || step == steps;
            if (evaluate) {
                double v = validation(model, val, root);
                valLoss.add(new double[] {step, v});
                if (log != null) {
                    log.printf(
                            Locale.ROOT,
                            "step %d: train loss %.3f, validation loss %.3f (perplexity %.1f), %.2f s/step, RSS %.0f MB%n",
                            step,
                            mean(trainLoss, evalEvery),
                            v,
                            Math.exp(v),
                            (System.nanoTime() - t1) / 1e9 / (step - done),
                            MemoryProbe.residentMegabytes());
                }
            }
            if (evaluate || TrainingInterrupt.requested()) {
                checkpoint.save(
                        new Pretraining(
                                step,
                                trainLoss,
                                valLoss,
                                LoopCheckpoint.encode(random),
                                earlierSeconds + (System.nanoTime() - t1) / 1e9),
                        model::save);
            }
            TrainingInterrupt.check(); // a signal stops the run here, between steps
        }
        return new Pretraining(
                steps,
                trainLoss,
                valLoss,
                LoopCheckpoint.encode(random),
                earlierSeconds + (System.nanoTime() - t1) / 1e9);
    }

    /** Samples from the prompt four ways: greedy, temperature, top-k, top-p. */
    private static List<List<String>> samples(
            Gpt2 model,
            HuggingFaceTokenizer tokenizer,
            Corpus corpus,
            long[] prompt,
            int length,
            long seed,
            PrintStream log) {
        long[] toGpt2 = corpus.toGpt2();
        Map<String, Generation.Sampling> ways = new LinkedHashMap<>();
        ways.put("greedy", Generation.Sampling.GREEDY);
        ways.put("temperature 0.8", new Generation.Sampling(0.8, 0, 1));
        ways.put("top-k 40", new Generation.Sampling(1, 40, 1));
        ways.put("top-p 0.9", new Generation.Sampling(1, 0, 0.9));
        List<List<String>> sampleRows = new ArrayList<>();
        for (Map.Entry<String, Generation.Sampling> w : ways.entrySet()) {
            long[] dense =
                    Generation.generate(
                            model, prompt, length, w.getValue(), new Random(seed), true);
            String sample =
                    tokenizer.decode(Arrays.stream(dense).map(i -> toGpt2[(int) i]).toArray());
            sampleRows.add(List.of(w.getKey(), sample));
            if (log != null) {
                log.println("--- " + w.getKey() + " ---\n" + sample);
            }
        }
        return sampleRows;
    }

    /** The KV cache: the same greedy text, and the tokens per second with and without it. */
    private static double[] cacheSpeed(
            Gpt2 model, long[] prompt, int length, Map<String, Double> summary, PrintStream log) {
        double[] speed = new double[2];
        long[][] texts = new long[2][];
        for (int c = 0; c < 2; c++) {
            long t2 = System.nanoTime();
            texts[c] =
                    Generation.generate(
                            model,
                            prompt,
                            length,
                            Generation.Sampling.GREEDY,
                            new Random(1),
                            c == 1);
            speed[c] = length / ((System.nanoTime() - t2) / 1e9);
        }
        summary.put("tokens_per_second_without_cache", speed[0]);
        summary.put("tokens_per_second_with_cache", speed[1]);
        summary.put("cache_same_text", Arrays.equals(texts[0], texts[1]) ? 1.0 : 0.0);
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "generation, %d tokens: %.0f tokens/s without the KV cache, %.0f with it (same text: %s)%n",
                    length,
                    speed[0],
                    speed[1],
                    Arrays.equals(texts[0], texts[1]));
        }

        return speed;
    }

    /** A real GPT-2's greedy continuation, when its checkpoint is beside the tokenizer. */
    private static List<List<String>> huggingFaceGpt2(
            Path hf, HuggingFaceTokenizer tokenizer, NDManager root) throws java.io.IOException {
        List<List<String>> pretrainedRows = new ArrayList<>();
        if (Files.isRegularFile(hf.resolve("model.safetensors"))) {
            try (Gpt2 gpt2 = Gpt2.load(hf, root)) {
                String prompt2 = "Hello, I'm a language model,";
                long[] p2 = tokenizer.encode(prompt2).getIds();
                long[] outIds =
                        Generation.generate(
                                gpt2, p2, 20, Generation.Sampling.GREEDY, new Random(1), true);
                pretrainedRows.add(List.of(hf.toString(), tokenizer.decode(outIds)));
            }
        }
        return pretrainedRows;
    }

    /**
     * A real pretrained model beside the one trained here: stories260K, a Llama trained on
     * TinyStories.
     */
    private static List<List<String>> pretrainedLlama(
            DataLocations locations,
            int length,
            long seed,
            Map<String, Double> summary,
            PrintStream log)
            throws Exception {
        // a real pretrained model beside the one trained here (stories260K: a Llama trained
        // on TinyStories)
        Path llamaFolder = locations.find(DatasetCatalog.TINYLLAMAS);
        List<List<String>> llamaRows =
                llamaFolder == null
                        ? List.of()
                        : LlamaLab.besideTheGpt(llamaFolder, LLAMA_PROMPT, length, seed, summary);
        if (log != null) {
            llamaRows.forEach(
                    r ->
                            log.println(
                                    "--- pretrained Llama (stories260K), "
                                            + r.get(0)
                                            + ", "
                                            + r.get(2)
                                            + " tokens/s ---\n"
                                            + r.get(1)));
        }
        return llamaRows;
    }

    /** The report. */
    private static void report(
            Path runDir,
            Corpus corpus,
            long parameters,
            int steps,
            double finalVal,
            List<List<String>> sampleRows,
            int length,
            double[] speed,
            List<List<String>> llamaRows,
            Path hf,
            List<List<String>> pretrainedRows)
            throws java.io.IOException {
        new HtmlReport("Week 12: a GPT in DJL")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Tiny Shakespeare, %,d GPT-2 tokens (%,d distinct); %d blocks, E %d, %d heads, context %d, "
                                        + "%,d parameters; %d steps of %d windows. Validation loss %.3f, perplexity %.1f.",
                                corpus.tokens(),
                                corpus.toGpt2().length,
                                LAYERS,
                                EMBED,
                                HEADS,
                                CONTEXT,
                                parameters,
                                steps,
                                BATCH,
                                finalVal,
                                Math.exp(finalVal)))
                .image("Loss", runDir.resolve("loss.png"))
                .heading("Samples from \"" + PROMPT + "\"")
                .table(List.of("choice", "text"), sampleRows)
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Generating %d tokens greedily: %.0f tokens/s without the KV cache, %.0f with it.",
                                length,
                                speed[0],
                                speed[1]))
                .heading(
                        "Beside it, a real pretrained model: the Llama stories260K (week 12's w12-llama), prompt \""
                                + LLAMA_PROMPT
                                + "\"")
                .table(
                        List.of("decoding", "text", "tokens/s"),
                        llamaRows.isEmpty()
                                ? List.of(
                                        List.of(
                                                "not found",
                                                "the tinyllamas dataset is missing (dllab data download tinyllamas)",
                                                ""))
                                : llamaRows)
                .heading("A Hugging Face GPT-2 checkpoint")
                .table(
                        List.of("checkpoint", "greedy continuation"),
                        pretrainedRows.isEmpty()
                                ? List.of(
                                        List.of(
                                                "none found at " + hf,
                                                "put config.json and model.safetensors of gpt2 there"))
                                : pretrainedRows)
                .write(runDir);
    }

    /**
     * Mean loss over consecutive validation windows (at most 20 batches); a short validation split
     * (a small {@code --limit}) gives fewer rows, never none: {@link #corpus} refuses a split
     * without one window.
     */
    private static double validation(Gpt2 model, long[] val, NDManager root) {
        double sum = 0;
        int n = 0;
        for (int from = 0; n < 20; from += BATCH * (CONTEXT + 1)) {
            int rows = Math.min(BATCH, (val.length - from) / (CONTEXT + 1));
            if (rows < 1) {
                break;
            }
            try (NDManager s = root.newSubManager()) {
                long[] chunk = Arrays.copyOfRange(val, from, from + rows * (CONTEXT + 1));
                sum += model.loss(s.create(chunk, new Shape(rows, CONTEXT + 1))).getFloat();
                n++;
            }
        }
        return sum / n;
    }

    private static double mean(List<Double> v, int last) {
        return v.subList(Math.max(0, v.size() - last), v.size()).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(Double.NaN);
    }

    private static void plot(List<Double> train, List<double[]> val, Path file)
            throws java.io.IOException {
        XYChart c =
                Plots.chart(
                        "GPT on Tiny Shakespeare: next-token loss", "step", "cross-entropy (nats)");
        double[] x = new double[train.size()];
        double[] y = new double[train.size()];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += train.get(i);
            if (i >= 20) {
                sum -= train.get(i - 20);
            }
            x[i] = i + 1;
            y[i] = sum / Math.min(i + 1, 20);
        }
        c.addSeries("train (mean of 20 steps)", x, y).setMarker(SeriesMarkers.NONE);
        c.addSeries(
                "validation",
                val.stream().mapToDouble(a -> a[0]).toArray(),
                val.stream().mapToDouble(a -> a[1]).toArray());
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
