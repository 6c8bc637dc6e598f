package org.dllab.labs.week13;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
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
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.TrainingInterrupt;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 13: parameter-efficient fine-tuning. By default LoRA adapts the pretrained MiniLM to emotion
 * ({@link EncoderLora}); with {@code --dataset self-instruct}, a GPT-2 ({@link Gpt2}) learns to
 * follow Self-Instruct's seed tasks twice — with LoRA adapters on the attention projections
 * (everything else frozen) and with every weight training — from the same base, with the loss on
 * the responses only. Then the adapters are merged into the weights and the merged model is checked
 * against the adapted one.
 *
 * <p>The base is a real GPT-2 when {@code config.json} and {@code model.safetensors} lie in a
 * folder {@code gpt2} next to the datasets; otherwise the week-12 model is pretrained here on Tiny
 * Shakespeare (one pass), with a vocabulary of the GPT-2 tokens of Shakespeare and the tasks.
 */
public final class LoraLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w13-lora";

    /** LoRA rank. */
    public static final int RANK = 8;

    /** LoRA alpha (scale alpha / r = 2). */
    public static final float ALPHA = 16f;

    /** LoRA dropout. */
    public static final float DROPOUT = 0.05f;

    /** Tasks held out of fine-tuning (evaluation loss and the before/after generations). */
    public static final int HELD_OUT = 15;

    /**
     * Fine-tuning steps, for both methods (about 7.5 passes over the 160 training tasks; more
     * overfits full fine-tuning).
     */
    public static final int STEPS = 150;

    /** Examples per step. */
    public static final int BATCH = 8;

    /**
     * LoRA's step size: adapters start at zero and take larger steps (1e-2 with 300 steps made the
     * loss worse than the base's).
     */
    public static final float LORA_LR = 2e-3f;

    /** Full fine-tuning's step size. */
    public static final float FULL_LR = 5e-4f;

    /**
     * Pretraining steps for the base when no GPT-2 checkpoint is present (one pass over Tiny
     * Shakespeare).
     */
    public static final int PRETRAIN_STEPS = 148;

    /**
     * Without a Hugging Face GPT-2 beside the data, the base is pretrained here at week 12's size
     * (GptLab: context 128, width 128, 4 heads, 4 blocks, 16 windows a step, AdamW at 1e-3): small
     * enough for a laptop.
     */
    private static final int BASE_CONTEXT = 128;

    /** See {@link #BASE_CONTEXT}. */
    private static final int BASE_EMBED = 128;

    /** See {@link #BASE_CONTEXT}. */
    private static final int BASE_HEADS = 4;

    /** See {@link #BASE_CONTEXT}. */
    private static final int BASE_LAYERS = 4;

    /** See {@link #BASE_CONTEXT}. */
    private static final int BASE_BATCH = 16;

    /** See {@link #BASE_CONTEXT}. */
    private static final float BASE_LEARNING_RATE = 1e-3f;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 13;
    }

    @Override
    public String title() {
        return "LoRA on the pretrained MiniLM for emotion (or, --dataset self-instruct, on a GPT-2 for instructions): adapters, merge, full fine-tuning";
    }

    /**
     * {@code --dataset}: emotion (the pretrained encoder, the default) or self-instruct (the
     * GPT-2).
     */
    @Override
    public List<String> datasets() {
        return List.of("emotion", "self-instruct");
    }

    /** What one fine-tuning run measured. */
    private record Tuned(
            String name,
            long trainable,
            long total,
            double secondsPerStep,
            double heldOutLoss,
            List<Double> losses) {}

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(
                LabOption.EPOCHS,
                LabOption.BATCH_SIZE,
                LabOption.MAX_BATCHES,
                LabOption.LIMIT,
                LabOption.DATASET,
                LabOption.RESUME);
    }

    @Override
    public String cpuOnlyBecause() {
        return "its memory and time per step are measured on the CPU a student has, for each way of fine-tuning";
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        if (options.dataset() == null || options.dataset().equals("emotion")) {
            return EncoderLora.run(run);
        }
        long seed = options.seed();
        Path runDir = run.dir();
        Map<String, Double> summary = new LinkedHashMap<>();
        DataLocations locations =
                DataLocations.fromEnvironment(options.dataDir(), options.offline());
        Path bpe = locations.resolve(DatasetCatalog.GPT2_BPE, log);
        Path instruct = locations.resolve(DatasetCatalog.SELF_INSTRUCT, log);
        int steps = options.maxBatches() > 0 ? (int) Math.min(STEPS, options.maxBatches()) : STEPS;
        List<InstructionData.Task> tasks = new ArrayList<>(InstructionData.seedTasks(instruct));
        java.util.Collections.shuffle(tasks, new Random(seed));
        List<InstructionData.Task> heldOut = tasks.subList(0, HELD_OUT);
        List<InstructionData.Task> train = tasks.subList(HELD_OUT, tasks.size());
        try (HuggingFaceTokenizer tokenizer = Gpt2Bpe.tokenizer(bpe);
                NDManager root = NDManager.newBaseManager()) {
            Path hf = bpe.getParent().resolve("gpt2");
            boolean real = Files.isRegularFile(hf.resolve("model.safetensors"));
            Path base = runDir.resolve("base");
            long[] toGpt2 =
                    run.experiment(
                            "a-base",
                            long[].class,
                            () -> base(run, tokenizer, tasks, hf, real, base, locations, root));
            Map<Long, Long> dense = toGpt2 == null ? null : denseMap(toGpt2);
            int context;
            int vocabularySize;
            try (Gpt2 probe = Gpt2.load(base, root)) {
                context = Math.min(probe.config().contextLength(), 256);
                vocabularySize = probe.config().vocabularySize();
            }
            List<InstructionData.Example> trainSet = encode(tokenizer, train, context + 1, dense);
            List<InstructionData.Example> evalSet = encode(tokenizer, heldOut, context + 1, dense);

            // answered by each model: the held-out tasks whose prompt leaves room for an answer,
            // and two training tasks
            java.util.function.Predicate<InstructionData.Task> fits =
                    t -> tokenizer.encode(t.prompt()).getIds().length <= context - 40;
            List<InstructionData.Task> answered = heldOut.stream().filter(fits).toList();
            List<InstructionData.Task> trained = train.stream().filter(fits).limit(2).toList();
            List<InstructionData.Task> asked = new ArrayList<>(answered);
            asked.addAll(trained);
            Set<Long> blank = blankTokens(tokenizer, vocabularySize, toGpt2);
            Outcome baseline =
                    run.experiment(
                            "b-base-answers",
                            Outcome.class,
                            () -> {
                                try (Gpt2 model = Gpt2.load(base, root)) {
                                    return new Outcome(
                                            answers(model, tokenizer, asked, dense, toGpt2, blank),
                                            null,
                                            heldOutLoss(model, evalSet, root),
                                            Double.NaN);
                                }
                            });
            List<String> before = baseline.answers();
            summary.put("base_held_out_loss", baseline.heldOutLoss());
            Outcome adapted =
                    run.experiment(
                            "c-lora",
                            Outcome.class,
                            () ->
                                    lora(
                                            base,
                                            root,
                                            trainSet,
                                            evalSet,
                                            steps,
                                            seed,
                                            log,
                                            runDir,
                                            model ->
                                                    answers(
                                                            model, tokenizer, asked, dense, toGpt2,
                                                            blank)));
            Tuned lora = adapted.tuned();
            List<String> after = adapted.answers();
            summary.put("merge_max_logit_difference", adapted.mergeDifference());
            Outcome fully =
                    run.experiment(
                            "d-full",
                            Outcome.class,
                            () -> {
                                try (Gpt2 model = Gpt2.load(base, root)) {
                                    Tuned tuned =
                                            tune(
                                                    "full fine-tuning",
                                                    model,
                                                    trainSet,
                                                    evalSet,
                                                    steps,
                                                    FULL_LR,
                                                    seed,
                                                    root,
                                                    log);
                                    return new Outcome(
                                            answers(model, tokenizer, asked, dense, toGpt2, blank),
                                            tuned,
                                            Double.NaN,
                                            Double.NaN);
                                }
                            });
            Tuned full = fully.tuned();
            List<String> fullAnswers = fully.answers();
            report(
                    run,
                    new Compared(before, after, fullAnswers, lora, full),
                    asked,
                    answered,
                    summary,
                    real ? hf.toString() : "the week-12 GPT pretrained here",
                    train.size(),
                    heldOut.size(),
                    steps);
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /**
     * The answers and training figures of the three models, side by side.
     *
     * @param before the base's answers
     * @param after LoRA's
     * @param fullAnswers full fine-tuning's
     * @param lora LoRA's training figures
     * @param full full fine-tuning's
     */
    private record Compared(
            List<String> before,
            List<String> after,
            List<String> fullAnswers,
            Tuned lora,
            Tuned full) {}

    /** Scores the answers, plots the losses, writes the record's tables and the report. */
    private static void report(
            LabRun run,
            Compared c,
            List<InstructionData.Task> asked,
            List<InstructionData.Task> answered,
            Map<String, Double> summary,
            String baseName,
            int trainTasks,
            int heldOutTasks,
            int steps)
            throws java.io.IOException {
        Path runDir = run.dir();
        PrintStream log = run.log();
        List<String> before = c.before();
        List<String> after = c.after();
        List<String> fullAnswers = c.fullAnswers();
        Tuned lora = c.lora();
        Tuned full = c.full();
        // the first three held-out tasks and the two training tasks, side by side
        List<List<String>> generations = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            if (i < 3 || i >= answered.size()) {
                InstructionData.Task t = asked.get(i);
                generations.add(
                        List.of(
                                (i < answered.size() ? "held out: " : "trained on: ")
                                        + t.prompt().replace("\n", " / "),
                                before.get(i),
                                after.get(i),
                                fullAnswers.get(i),
                                t.output()));
            }
        }
        int n = answered.size();
        summary.put("answers_scored", (double) n);
        summary.put("base_answer_f1", meanF1(before.subList(0, n), answered));
        summary.put("lora_answer_f1", meanF1(after.subList(0, n), answered));
        summary.put("full_answer_f1", meanF1(fullAnswers.subList(0, n), answered));
        List<List<String>> rows = new ArrayList<>();
        for (Tuned t : List.of(lora, full)) {
            rows.add(
                    List.of(
                            t.name(),
                            String.format(
                                    Locale.ROOT,
                                    "%,d of %,d (%.2f %%)",
                                    t.trainable(),
                                    t.total(),
                                    100.0 * t.trainable() / t.total()),
                            String.format(Locale.ROOT, "%,d", 3 * 4L * t.trainable()),
                            String.format(Locale.ROOT, "%.2f", t.secondsPerStep()),
                            String.format(
                                    Locale.ROOT, "%.3f", t.losses().get(t.losses().size() - 1)),
                            String.format(Locale.ROOT, "%.3f", t.heldOutLoss())));
            String k = t == lora ? "lora" : "full";
            summary.put(k + "_trainable", (double) t.trainable());
            summary.put(k + "_seconds_per_step", t.secondsPerStep());
            summary.put(k + "_held_out_loss", t.heldOutLoss());
            summary.put(k + "_final_train_loss", t.losses().get(t.losses().size() - 1));
        }
        XYChart chart =
                Plots.chart(
                        "Instruction tuning: training loss on the responses (mean of 10 steps)",
                        "step",
                        "cross-entropy");
        for (Tuned t : List.of(lora, full)) {
            double[] x = new double[t.losses().size()];
            double[] y = new double[x.length];
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += t.losses().get(i);
                if (i >= 10) {
                    sum -= t.losses().get(i - 10);
                }
                x[i] = i + 1;
                y[i] = sum / Math.min(i + 1, 10);
            }
            chart.addSeries(t.name(), x, y).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(
                chart, runDir.resolve("loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        new HtmlReport("Week 13: LoRA")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Base: %s. %d Self-Instruct seed tasks for fine-tuning, %d held out; %d steps of %d; loss on the"
                                        + " responses only. Before fine-tuning the held-out loss was %.3f.",
                                baseName,
                                trainTasks,
                                heldOutTasks,
                                steps,
                                BATCH,
                                summary.get("base_held_out_loss")))
                .table(
                        List.of(
                                "method",
                                "trainable parameters",
                                "optimizer state + gradients (bytes)",
                                "s / step",
                                "final train loss",
                                "held-out loss"),
                        rows)
                .image("Training loss", runDir.resolve("loss.png"))
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Merging the adapters (W += (alpha / r) A B) changed the logits by at most %.2e.",
                                summary.get("merge_max_logit_difference")))
                .heading("Greedy answers before and after fine-tuning")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Greedy, 40 tokens at most, the first token not end-of-text or white space."
                                        + " Word-overlap F1 with the reference answers over %d held-out tasks: base %.3f, LoRA %.3f, full fine-tuning %.3f.",
                                n,
                                summary.get("base_answer_f1"),
                                summary.get("lora_answer_f1"),
                                summary.get("full_answer_f1")))
                .table(
                        List.of("prompt", "base", "LoRA", "full fine-tuning", "reference"),
                        generations)
                .write(runDir);
        double wall = run.seconds();
        run.record()
                .config("rank", RANK)
                .config("alpha", ALPHA)
                .config("steps", steps)
                .config("batch_size", BATCH)
                .result("comparison", rows)
                .result("generations", generations);
        if (log != null) {
            for (List<String> g : generations) {
                log.println(
                        "--- "
                                + g.get(0)
                                + "\n  base: "
                                + g.get(1)
                                + "\n  LoRA: "
                                + g.get(2)
                                + "\n  full: "
                                + g.get(3));
            }
            log.printf(
                    Locale.ROOT,
                    "Word-overlap F1 over %d held-out answers: base %.3f, LoRA %.3f, full fine-tuning %.3f%n",
                    n,
                    summary.get("base_answer_f1"),
                    summary.get("lora_answer_f1"),
                    summary.get("full_answer_f1"));
            log.printf(
                    Locale.ROOT,
                    "Wall time %.0f s. Run folder: %s%n",
                    wall,
                    runDir.toAbsolutePath());
        }
    }

    /**
     * The pretraining loop's progress, kept with the weights for {@code --resume}.
     *
     * @param steps steps done
     * @param random the window sampler's random source ({@link LoopCheckpoint#encode})
     */
    record BaseProgress(int steps, String random) {}

    /**
     * What one way of fine-tuning the GPT gave.
     *
     * @param answers its greedy answers to the asked tasks
     * @param tuned its training figures (null for the base)
     * @param heldOutLoss the base's held-out loss (NaN for the others)
     * @param mergeDifference LoRA's largest logit change on merging (NaN for the others)
     */
    record Outcome(List<String> answers, Tuned tuned, double heldOutLoss, double mergeDifference) {}

    /**
     * The base model, saved to {@code base}: a Hugging Face GPT-2 when one is beside the tokenizer,
     * else the week-12 model pretrained here on Tiny Shakespeare (resumable).
     *
     * @return the dense vocabulary's GPT-2 ids of the model pretrained here, or null for GPT-2
     */
    private static long[] base(
            LabRun run,
            HuggingFaceTokenizer tokenizer,
            List<InstructionData.Task> tasks,
            Path hf,
            boolean real,
            Path base,
            DataLocations locations,
            NDManager root)
            throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        long seed = options.seed();
        if (real) {
            try (Gpt2 model = Gpt2.load(hf, root)) {
                model.save(base);
            }
            return null;
        }
        String text =
                TextCorpus.loadTinyShakespeare(
                        locations.resolve(DatasetCatalog.TINY_SHAKESPEARE, log));
        long[] shakespeare = tokenizer.encode(text).getIds();
        TreeSet<Long> seen = new TreeSet<>();
        Arrays.stream(shakespeare).forEach(seen::add);
        for (InstructionData.Task t : tasks) {
            Arrays.stream(InstructionData.encode(tokenizer, t, Integer.MAX_VALUE).ids())
                    .forEach(seen::add);
        }
        long[] toGpt2 = seen.stream().mapToLong(Long::longValue).toArray();
        Map<Long, Long> dense = denseMap(toGpt2);
        long[] ids = Arrays.stream(shakespeare).map(dense::get).toArray();
        int pretrainSteps =
                options.maxBatches() > 0
                        ? (int) Math.min(PRETRAIN_STEPS, options.maxBatches())
                        : PRETRAIN_STEPS;
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "No GPT-2 checkpoint at %s: pretraining the week-12 model on Tiny Shakespeare (%d steps, vocabulary %,d)%n",
                    hf,
                    pretrainSteps,
                    toGpt2.length);
        }
        LoopCheckpoint<BaseProgress> checkpoint = LoopCheckpoint.of(run, BaseProgress.class);
        BaseProgress resumed = checkpoint.restore();
        try (Gpt2 model =
                resumed != null
                        ? Gpt2.load(checkpoint.restoredWeights(), root)
                        : new Gpt2(
                                new Gpt2.Config(
                                        toGpt2.length,
                                        BASE_CONTEXT,
                                        BASE_EMBED,
                                        BASE_HEADS,
                                        BASE_LAYERS),
                                root)) {
            Optimizer adamW =
                    Optimizer.adamW()
                            .optLearningRateTracker(Tracker.fixed(BASE_LEARNING_RATE))
                            .optWeightDecays(0.1f)
                            .optClipGrad(1f)
                            .build();
            Random random =
                    resumed == null ? new Random(seed) : LoopCheckpoint.decode(resumed.random());
            for (int s = resumed == null ? 0 : resumed.steps(); s < pretrainSteps; s++) {
                try (NDManager m = root.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss =
                            model.loss(
                                    m.create(
                                            Gpt2.windows(ids, BASE_BATCH, BASE_CONTEXT, random),
                                            new Shape(BASE_BATCH, BASE_CONTEXT + 1)));
                    gc.backward(loss);
                }
                model.step(adamW);
                if ((s + 1) % 50 == 0 || TrainingInterrupt.requested()) {
                    checkpoint.save(
                            new BaseProgress(s + 1, LoopCheckpoint.encode(random)), model::save);
                }
                TrainingInterrupt.check(); // a signal stops the run here, between steps
            }
            model.save(base);
        }
        return toGpt2;
    }

    /** Attaches LoRA adapters (q, k, v, o) to the base, fine-tunes, answers, merges, saves. */
    private static Outcome lora(
            Path base,
            NDManager root,
            List<InstructionData.Example> trainSet,
            List<InstructionData.Example> evalSet,
            int steps,
            long seed,
            PrintStream log,
            Path runDir,
            java.util.function.Function<Gpt2, List<String>> answering)
            throws Exception {
        List<String> after = new ArrayList<>();
        try (Gpt2 model = Gpt2.load(base, root)) {
            GptLora adapters =
                    GptLora.attach(model, RANK, ALPHA, DROPOUT, Set.of("q", "k", "v", "o"));
            Tuned lora =
                    tune(
                            "LoRA r=" + RANK + ", q k v o",
                            model,
                            trainSet,
                            evalSet,
                            steps,
                            LORA_LR,
                            seed,
                            root,
                            log);
            after.addAll(answering.apply(model));
            double difference;
            try (NDManager m = root.newSubManager()) {
                Object[] b = InstructionData.batch(evalSet.subList(0, 4), 0);
                NDArray ids =
                        m.create((long[]) b[0], new Shape(4, (int) b[2]))
                                .get(":, 0:" + ((int) b[2] - 1)); // the inputs
                float[] adapted = model.forward(ids, null).toFloatArray();
                adapters.merge(model);
                float[] merged = model.forward(ids, null).toFloatArray();
                difference = 0;
                for (int i = 0; i < adapted.length; i++) {
                    difference = Math.max(difference, Math.abs(adapted[i] - merged[i]));
                }
            }
            model.save(runDir.resolve("merged"));
            if (log != null) {
                log.printf(
                        Locale.ROOT,
                        "merged the adapters into the weights: largest logit difference %.2e%n",
                        difference);
            }
            return new Outcome(after, lora, Double.NaN, difference);
        }
    }

    private static Map<Long, Long> denseMap(long[] toGpt2) {
        Map<Long, Long> dense = new HashMap<>();
        for (int i = 0; i < toGpt2.length; i++) {
            dense.put(toGpt2[i], (long) i);
        }
        return dense;
    }

    private static List<InstructionData.Example> encode(
            HuggingFaceTokenizer tokenizer,
            List<InstructionData.Task> tasks,
            int max,
            Map<Long, Long> dense) {
        List<InstructionData.Example> out = new ArrayList<>();
        for (InstructionData.Task t : tasks) {
            InstructionData.Example e = InstructionData.encode(tokenizer, t, max);
            long[] ids = dense == null ? e.ids() : Arrays.stream(e.ids()).map(dense::get).toArray();
            out.add(new InstructionData.Example(ids, e.responseStart()));
        }
        return out;
    }

    private static Tuned tune(
            String name,
            Gpt2 model,
            List<InstructionData.Example> train,
            List<InstructionData.Example> eval,
            int steps,
            float lr,
            long seed,
            NDManager root,
            PrintStream log) {
        Optimizer adamW =
                Optimizer.adamW()
                        .optLearningRateTracker(Tracker.fixed(lr))
                        .optWeightDecays(0f)
                        .optClipGrad(1f)
                        .build();
        Random random = new Random(seed);
        List<Double> losses = new ArrayList<>();
        long t0 = System.nanoTime();
        model.setTraining(true);
        for (int s = 0; s < steps; s++) {
            List<InstructionData.Example> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(train.get(random.nextInt(train.size())));
            }
            Object[] b = InstructionData.batch(batch, 0);
            int t = (int) b[2];
            try (NDManager m = root.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        model.loss(
                                m.create((long[]) b[0], new Shape(BATCH, t)),
                                m.create((float[]) b[1], new Shape(BATCH, t - 1)));
                gc.backward(loss);
                losses.add((double) loss.getFloat());
            }
            model.step(adamW);
            TrainingInterrupt.check(); // a signal stops the run here, between steps
        }
        model.setTraining(false);
        double secondsPerStep = (System.nanoTime() - t0) / 1e9 / steps;
        double heldOut = heldOutLoss(model, eval, root);
        long total =
                model.parameterCount()
                        + model.adapterParameters().values().stream()
                                .mapToLong(NDArray::size)
                                .sum();
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "%s: %,d of %,d parameters train; %.2f s a step; final train loss %.3f, held-out loss %.3f%n",
                    name,
                    model.trainableParameterCount(),
                    total,
                    secondsPerStep,
                    losses.get(losses.size() - 1),
                    heldOut);
        }
        return new Tuned(
                name, model.trainableParameterCount(), total, secondsPerStep, heldOut, losses);
    }

    private static double heldOutLoss(
            Gpt2 model, List<InstructionData.Example> eval, NDManager root) {
        try (NDManager m = root.newSubManager()) {
            Object[] b = InstructionData.batch(eval, 0);
            int t = (int) b[2];
            return model.loss(
                            m.create((long[]) b[0], new Shape(eval.size(), t)),
                            m.create((float[]) b[1], new Shape(eval.size(), t - 1)))
                    .getFloat();
        }
    }

    private static List<String> answers(
            Gpt2 model,
            HuggingFaceTokenizer tokenizer,
            List<InstructionData.Task> tasks,
            Map<Long, Long> dense,
            long[] toGpt2,
            Set<Long> blank) {
        List<String> out = new ArrayList<>();
        for (InstructionData.Task t : tasks) {
            out.add(answer(model, tokenizer, t, dense, toGpt2, blank));
        }
        return out;
    }

    /**
     * The model's ids of end-of-text and of tokens that are only white space: an answer may not
     * start with one.
     */
    private static Set<Long> blankTokens(HuggingFaceTokenizer tokenizer, int size, long[] toGpt2) {
        Set<Long> out = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            long gpt2 = toGpt2 == null ? i : toGpt2[i];
            if (gpt2 == Gpt2Bpe.END_OF_TEXT || tokenizer.decode(new long[] {gpt2}).isBlank()) {
                out.add((long) i);
            }
        }
        return out;
    }

    private static double meanF1(List<String> answers, List<InstructionData.Task> tasks) {
        double sum = 0;
        for (int i = 0; i < answers.size(); i++) {
            sum += AnswerF1.of(answers.get(i), tasks.get(i).output());
        }
        return sum / Math.max(1, answers.size());
    }

    private static String answer(
            Gpt2 model,
            HuggingFaceTokenizer tokenizer,
            InstructionData.Task task,
            Map<Long, Long> dense,
            long[] toGpt2,
            Set<Long> blank) {
        long[] prompt = tokenizer.encode(task.prompt()).getIds();
        if (dense != null) {
            prompt = Arrays.stream(prompt).map(dense::get).toArray();
        }
        int room = Math.min(40, model.config().contextLength() - prompt.length);
        if (room <= 0) {
            return "(prompt longer than the context)";
        }
        long[] outIds =
                Generation.generate(
                        model,
                        prompt,
                        room,
                        Generation.Sampling.GREEDY,
                        new Random(1),
                        true,
                        blank);
        long[] answer = Arrays.copyOfRange(outIds, prompt.length, outIds.length);
        if (toGpt2 != null) {
            answer = Arrays.stream(answer).map(i -> toGpt2[(int) i]).toArray();
        }
        int end = 0;
        while (end < answer.length && answer[end] != Gpt2Bpe.END_OF_TEXT) {
            end++;
        }
        String text = tokenizer.decode(Arrays.copyOf(answer, end)).strip();
        return text;
    }
}
