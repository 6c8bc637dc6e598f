package org.dllab.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a dataset folder the way the labs will read it: every file parses, counts are sane, and
 * files known to be byte-identical to the publisher's match their official checksum (a subset is
 * reported as such, not as an error). A {@code SHA256SUMS} file in the folder, if present, is
 * checked too.
 */
public final class DatasetVerifier {

    /**
     * One line of the report.
     *
     * @param ok whether this check passed
     * @param text what was checked and found
     */
    public record Check(boolean ok, String text) {}

    private DatasetVerifier() {}

    /**
     * Verifies a dataset folder.
     *
     * @param spec the dataset
     * @param folder its folder
     * @return the checks, in order
     */
    public static List<Check> verify(DatasetSpec spec, Path folder) {
        List<Check> out = new ArrayList<>();
        List<String> missing = spec.missingIn(folder);
        if (!missing.isEmpty()) {
            out.add(new Check(false, "missing: " + String.join(", ", missing)));
            return out;
        }
        try {
            structure(spec, folder, out);
        } catch (IOException | RuntimeException e) {
            out.add(new Check(false, e.getMessage()));
        }
        for (Map.Entry<String, Checksum> e : spec.officialChecksums().entrySet()) {
            Path f = folder.resolve(e.getKey());
            if (!Files.exists(f)) {
                continue; // e.g. uncompressed MNIST: the structure check above covers it
            }
            try {
                boolean same = e.getValue().compute(f).equals(e.getValue().hex());
                out.add(
                        new Check(
                                true,
                                e.getKey()
                                        + (same
                                                ? ": matches the official "
                                                : ": differs from the official ")
                                        + "checksum"
                                        + (same ? "" : " (a modified or partial copy)")));
            } catch (IOException ex) {
                out.add(new Check(false, e.getKey() + ": " + ex.getMessage()));
            }
        }
        Path sums = folder.resolve("SHA256SUMS");
        if (Files.isRegularFile(sums)) {
            out.add(checkSums(folder, sums));
        }
        return out;
    }

    private static void structure(DatasetSpec spec, Path folder, List<Check> out)
            throws IOException {
        switch (spec.name()) {
            case "mnist" -> {
                for (Split s : Split.values()) {
                    ImageSet set = MnistIdx.load(folder, s);
                    out.add(
                            new Check(
                                    true,
                                    s.name().toLowerCase()
                                            + ": "
                                            + set.size()
                                            + " images "
                                            + set.height()
                                            + "x"
                                            + set.width()
                                            + ", per class "
                                            + Arrays.toString(set.classCounts())));
                }
            }
            case "cifar10" -> {
                for (Split s : Split.values()) {
                    ImageSet set = CifarBinary.load(folder, s);
                    out.add(
                            new Check(
                                    true,
                                    s.name().toLowerCase()
                                            + ": "
                                            + set.size()
                                            + " images 3x32x32, per class "
                                            + Arrays.toString(set.classCounts())
                                            + (s == Split.TRAIN && set.size() < 50_000
                                                    ? " (a subset of the official 50,000)"
                                                    : "")));
                }
            }
            case "imdb" -> {
                for (Split s : Split.values()) {
                    List<Review> r = ImdbReviews.load(folder, s);
                    long pos = r.stream().filter(Review::positive).count();
                    out.add(
                            new Check(
                                    true,
                                    s.name().toLowerCase()
                                            + ": "
                                            + r.size()
                                            + " reviews ("
                                            + pos
                                            + " positive, "
                                            + (r.size() - pos)
                                            + " negative)"));
                }
            }
            case "tinyshakespeare" -> {
                String text = TextCorpus.loadTinyShakespeare(folder);
                out.add(
                        new Check(
                                true,
                                "input.txt: "
                                        + text.length()
                                        + " characters, "
                                        + text.lines().count()
                                        + " lines"));
            }
            case "gpt2-bpe" -> {
                try (HuggingFaceTokenizer tok = Gpt2Bpe.tokenizer(folder)) {
                    long[] ids = tok.encode("Hello world").getIds();
                    boolean ok = Arrays.equals(ids, new long[] {15496, 995});
                    out.add(
                            new Check(
                                    ok,
                                    "tokenizer: \"Hello world\" -> "
                                            + Arrays.toString(ids)
                                            + (ok ? " (as GPT-2)" : ", expected [15496, 995]")));
                }
            }
            case "waimai" -> {
                List<Review> r = WaimaiReviews.load(folder);
                long pos = r.stream().filter(Review::positive).count();
                out.add(
                        new Check(
                                true,
                                WaimaiReviews.FILE
                                        + ": "
                                        + r.size()
                                        + " reviews ("
                                        + pos
                                        + " positive, "
                                        + (r.size() - pos)
                                        + " negative)"));
            }
            case "emotion" -> {
                for (EmotionTweets.Part part : EmotionTweets.Part.values()) {
                    List<EmotionTweets.Tweet> t = EmotionTweets.load(folder, part);
                    int[] counts = new int[EmotionTweets.LABELS.size()];
                    t.forEach(x -> counts[x.label()]++);
                    out.add(
                            new Check(
                                    true,
                                    part.file()
                                            + ": "
                                            + t.size()
                                            + " tweets, per class "
                                            + Arrays.toString(counts)
                                            + " "
                                            + EmotionTweets.LABELS));
                }
            }
            case "tinyllamas" -> {
                org.dllab.models.LlamaConfig c =
                        org.dllab.models.Llama2cCheckpoint.read(folder.resolve("stories260K.bin"))
                                .config();
                out.add(
                        new Check(
                                true,
                                "stories260K.bin: " + c + ", " + c.parameters() + " parameters"));
            }
            case "cora" -> {
                CoraGraph g = CoraGraph.read(folder);
                out.add(
                        new Check(
                                g.nodes() == 2708
                                        && g.featureCount() == 1433
                                        && g.classes().length == 7,
                                "cora: "
                                        + g.nodes()
                                        + " papers, "
                                        + g.featureCount()
                                        + " word features, "
                                        + g.classes().length
                                        + " classes, "
                                        + g.edges().length
                                        + " undirected edges"));
            }
            default -> out.add(new Check(true, "no structural check for " + spec.name()));
        }
    }

    private static Check checkSums(Path folder, Path sums) {
        Path base = folder.toAbsolutePath().normalize();
        int good = 0;
        List<String> bad = new ArrayList<>();
        try {
            for (String line : TextCorpus.readLines(sums)) {
                String[] parts = line.trim().split("\\s+\\*?", 2);
                if (parts.length != 2) {
                    continue;
                }
                Path f = base.resolve(parts[1]).normalize();
                if (!f.startsWith(base) || !Files.isRegularFile(f)) {
                    bad.add(parts[1] + " (missing)");
                } else if (!Checksum.of("SHA-256", f).equalsIgnoreCase(parts[0])) {
                    bad.add(parts[1]);
                } else {
                    good++;
                }
            }
        } catch (IOException e) {
            return new Check(false, "SHA256SUMS: " + e.getMessage());
        }
        return bad.isEmpty()
                ? new Check(true, "SHA256SUMS: all " + good + " files match")
                : new Check(
                        false,
                        "SHA256SUMS: "
                                + bad.size()
                                + " mismatches, e.g. "
                                + bad.subList(0, Math.min(5, bad.size())));
    }
}
