package org.dllab.grading.exam;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which slots each student's paper breaks, and how: chosen from the student id and the exam's
 * secret salt, so that neighbours' papers differ, the instructor can regenerate any paper, and no
 * student can work out a paper without the salt. Kept by the instructor (it is the answer key).
 *
 * @param exam the exam's id
 * @param salt the secret that seeds every choice
 * @param brokenPerPaper how many slots each paper breaks
 * @param papers student id to (slot id to variant id)
 */
public record ExamKey(
        String exam, String salt, int brokenPerPaper, Map<String, Map<String, String>> papers) {

    /** The key's file name in the instructor's exam folder. */
    public static final String FILE = "key.json";

    /** Copies the map. */
    public ExamKey {
        papers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(papers));
    }

    /**
     * A new random salt (what {@code dllab exam generate} uses unless given one).
     *
     * @return 32 hex digits
     */
    public static String newSalt() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Chooses every student's paper.
     *
     * @param master the exam
     * @param students the student ids (duplicates are an error)
     * @param salt the secret
     * @param brokenPerPaper slots broken on each paper, 1..number of slots
     * @return the key
     */
    public static ExamKey choose(
            ExamMaster master, List<String> students, String salt, int brokenPerPaper) {
        if (brokenPerPaper < 1 || brokenPerPaper > master.slots().size()) {
            throw new IllegalArgumentException(
                    "broken slots per paper must be 1.."
                            + master.slots().size()
                            + ", got "
                            + brokenPerPaper);
        }
        Map<String, Map<String, String>> papers = new LinkedHashMap<>();
        for (String s : students) {
            if (papers.put(s, paper(master, s, salt, brokenPerPaper)) != null) {
                throw new IllegalArgumentException(
                        "student id '" + s + "' appears twice in the class list");
            }
        }
        return new ExamKey(master.id(), salt, brokenPerPaper, papers);
    }

    /**
     * One student's paper: a seeded choice of slots and a variant of each.
     *
     * @param master the exam
     * @param student the student id
     * @param salt the secret
     * @param brokenPerPaper how many slots to break
     * @return slot id to variant id, in the master's slot order
     */
    public static Map<String, String> paper(
            ExamMaster master, String student, String salt, int brokenPerPaper) {
        Random random =
                new Random(org.dllab.grading.Seeds.of(master.id() + "\n" + salt + "\n" + student));
        List<BugSlot> order = new ArrayList<>(master.slots());
        java.util.Collections.shuffle(order, random);
        List<BugSlot> chosen = order.subList(0, brokenPerPaper);
        Map<String, String> paper = new LinkedHashMap<>();
        for (BugSlot s : master.slots()) {
            if (chosen.contains(s)) {
                paper.put(s.id(), s.variants().get(random.nextInt(s.variants().size())).id());
            }
        }
        return paper;
    }

    /**
     * Writes the key.
     *
     * @param file where
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        Files.writeString(
                file,
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(this),
                StandardCharsets.UTF_8);
    }

    /**
     * Reads a key.
     *
     * @param file the key file
     * @return the key
     * @throws IOException when it cannot be read or is not a key
     */
    public static ExamKey read(Path file) throws IOException {
        try {
            ExamKey k =
                    new Gson()
                            .fromJson(
                                    Files.readString(file, StandardCharsets.UTF_8), ExamKey.class);
            if (k == null || k.exam() == null || k.papers() == null) {
                throw new IOException(file + " is not an exam key (no 'exam' or 'papers')");
            }
            return new ExamKey(k.exam(), k.salt(), k.brokenPerPaper(), k.papers());
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
