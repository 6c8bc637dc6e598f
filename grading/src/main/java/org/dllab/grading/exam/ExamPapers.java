package org.dllab.grading.exam;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The exam-day files: one zip per student from the key ({@link #generate}), unpacked into a working
 * folder with the start time recorded ({@link #start}), and packed again with the end time ({@link
 * #pack}). The zip holds the program's sources, {@code EXAM.md} (the instructions), the concept
 * questions ({@code CONCEPTS.md}, answered in {@code answers.txt}) and {@code .dllab-exam.json}
 * ({@link Info}); never the key.
 */
public final class ExamPapers {

    /** The paper's metadata file in a working folder and in the zips. */
    public static final String INFO = ".dllab-exam.json";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * What a paper is.
     *
     * @param exam the exam id
     * @param student the student id
     * @param packageName the program's package
     * @param mainClass the class {@code dllab exam run} runs
     * @param files the program's file names
     * @param concepts the number of concept questions ({@code CONCEPTS.md}, answered in {@code
     *     answers.txt}); 0 for none
     * @param started when {@code dllab exam start} unpacked it (ISO-8601), or null
     * @param ended when {@code dllab exam pack} packed it, or null
     */
    public record Info(
            String exam,
            String student,
            String packageName,
            String mainClass,
            List<String> files,
            int concepts,
            String started,
            String ended) {

        /**
         * Reads a working folder's info.
         *
         * @param dir the working folder
         * @return the info
         * @throws IOException when the folder is not an exam paper
         */
        public static Info read(Path dir) throws IOException {
            Path f = dir.resolve(INFO);
            if (!Files.isRegularFile(f)) {
                throw new IOException(
                        dir.toAbsolutePath()
                                + " is not an exam paper (no "
                                + INFO
                                + "): start one with 'dllab exam start --paper ZIP --dir "
                                + dir
                                + "'");
            }
            Info i = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), Info.class);
            if (i == null || i.exam() == null || i.packageName() == null || i.files() == null) {
                throw new IOException(
                        f.toAbsolutePath()
                                + " is damaged (no exam, package or files): ask the invigilator for your paper again");
            }
            return i;
        }

        /**
         * The program's source folder in a working folder.
         *
         * @param dir the working folder
         * @return {@code dir/src/main/java/<package>}
         */
        public Path sources(Path dir) {
            return dir.resolve("src/main/java").resolve(packageName.replace('.', '/'));
        }

        void write(Path dir) throws IOException {
            Files.writeString(dir.resolve(INFO), GSON.toJson(this), StandardCharsets.UTF_8);
        }
    }

    private ExamPapers() {}

    /**
     * Writes the key and every student's paper.
     *
     * @param master the exam
     * @param concepts its concept questions ({@link Concepts#NONE} for none)
     * @param key the key
     * @param out the instructor's exam folder: {@code key.json}, {@code papers/ID.zip}
     * @return the papers written
     * @throws IOException when a file cannot be written
     */
    public static List<Path> generate(ExamMaster master, Concepts concepts, ExamKey key, Path out)
            throws IOException {
        Files.createDirectories(out.resolve("papers"));
        key.write(out.resolve(ExamKey.FILE));
        String mainClass = mainClass(master);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> p : key.papers().entrySet()) {
            Map<String, String> files = Paper.render(master, p.getValue());
            Info info =
                    new Info(
                            master.id(),
                            p.getKey(),
                            master.packageName(),
                            mainClass,
                            List.copyOf(files.keySet()),
                            concepts.refs().size(),
                            null,
                            null);
            Path zip =
                    out.resolve("papers")
                            .resolve(p.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".zip");
            try (OutputStream os = Files.newOutputStream(zip);
                    ZipOutputStream z = new ZipOutputStream(os)) {
                String pkg = "src/main/java/" + master.packageName().replace('.', '/') + "/";
                for (Map.Entry<String, String> f : files.entrySet()) {
                    put(z, pkg + f.getKey(), f.getValue());
                }
                put(z, "EXAM.md", instructions(master, info, key.brokenPerPaper()));
                if (!concepts.refs().isEmpty()) {
                    put(
                            z,
                            "CONCEPTS.md",
                            Concepts.sheet(concepts.paper(master.id(), p.getKey(), key.salt())));
                    put(z, Concepts.ANSWERS, Concepts.blankAnswers(concepts.refs().size()));
                }
                put(z, INFO, GSON.toJson(info));
            }
            written.add(zip);
        }
        return written;
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    /** The master's class with a main method. */
    static String mainClass(ExamMaster master) {
        return master.sources().entrySet().stream()
                .filter(e -> e.getValue().contains("public static void main("))
                .map(Map.Entry::getKey)
                .findFirst()
                .map(f -> master.packageName() + "." + f.replace(".java", ""))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "exam "
                                                + master.id()
                                                + " has no class with a main method"));
    }

    private static String instructions(ExamMaster master, Info info, int broken) {
        return String.join(
                "\n",
                "# " + master.id() + " — " + info.student(),
                "",
                "This program has **"
                        + broken
                        + " mistakes**. Find and fix each where it is; change nothing else. Each part of the program is graded by",
                "its behaviour: a mistake fixed earns a point, and a working part you break costs one.",
                "",
                "這個程式裡有 **"
                        + broken
                        + " 個錯誤**。找出每個錯誤並就地修正，不要改動其他地方。每個部分依行為評分：修正一個錯誤得一分，弄壞原本正確的部分扣一分。",
                "",
                "```",
                "dllab exam run              # compile and run the program 編譯並執行",
                "dllab exam pack             # the zip to hand in 產生要繳交的 zip",
                "```",
                "",
                info.concepts() == 0
                        ? ""
                        : "It also has "
                                + info.concepts()
                                + " concept questions in CONCEPTS.md: answer them in answers.txt. "
                                + "另有 "
                                + info.concepts()
                                + " 題觀念題（CONCEPTS.md），答案寫在 answers.txt。",
                "",
                "Files 檔案: " + String.join(", ", info.files()),
                "");
    }

    /**
     * Writes a working folder of a paper with chosen mistakes, as {@link #start} would leave it:
     * for an author trying what a variant shows when run ({@code dllab exam try}).
     *
     * @param master the exam
     * @param broken slot id to variant id
     * @param dir the working folder (absent or empty)
     * @return the paper's info
     * @throws IOException when the folder is not empty or cannot be written
     */
    public static Info write(ExamMaster master, Map<String, String> broken, Path dir)
            throws IOException {
        requireEmpty(dir);
        Map<String, String> files = Paper.render(master, broken);
        Paper.write(master, files, dir);
        Info info =
                new Info(
                        master.id(),
                        "author",
                        master.packageName(),
                        mainClass(master),
                        List.copyOf(files.keySet()),
                        0,
                        Instant.now().toString(),
                        null);
        info.write(dir);
        return info;
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(
                            dir.toAbsolutePath()
                                    + " is not empty: your work there is kept; choose another folder with --dir");
                }
            }
        }
    }

    /**
     * Unpacks a paper into an empty working folder and records the start time.
     *
     * @param paperZip the student's paper
     * @param dir the working folder (absent or empty)
     * @param now the start time
     * @return the paper's info
     * @throws IOException when the zip is not a paper or the folder is not empty
     */
    public static Info start(Path paperZip, Path dir, Instant now) throws IOException {
        requireEmpty(dir);
        try (ZipFile zip = new ZipFile(paperZip.toFile(), StandardCharsets.UTF_8)) {
            ZipEntry infoEntry = zip.getEntry(INFO);
            if (infoEntry == null) {
                throw new IOException(paperZip + " is not an exam paper (no " + INFO + " inside)");
            }
            Info info;
            try (InputStream in = zip.getInputStream(infoEntry)) {
                info =
                        GSON.fromJson(
                                new String(in.readAllBytes(), StandardCharsets.UTF_8), Info.class);
            }
            Files.createDirectories(info.sources(dir));
            for (String f : info.files()) {
                if (!f.matches("[A-Za-z0-9_-]+\\.java")) {
                    throw new IOException(paperZip + " names an unexpected file '" + f + "'");
                }
                copy(
                        zip,
                        "src/main/java/" + info.packageName().replace('.', '/') + "/" + f,
                        info.sources(dir).resolve(f));
            }
            copy(zip, "EXAM.md", dir.resolve("EXAM.md"));
            if (info.concepts() > 0) {
                copy(zip, "CONCEPTS.md", dir.resolve("CONCEPTS.md"));
                copy(zip, Concepts.ANSWERS, dir.resolve(Concepts.ANSWERS));
            }
            Info started =
                    new Info(
                            info.exam(),
                            info.student(),
                            info.packageName(),
                            info.mainClass(),
                            info.files(),
                            info.concepts(),
                            now.toString(),
                            null);
            started.write(dir);
            return started;
        }
    }

    private static void copy(ZipFile zip, String name, Path to) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException(
                    zip.getName()
                            + " lacks "
                            + name
                            + ": ask the invigilator for your paper again");
        }
        try (InputStream in = zip.getInputStream(e)) {
            Files.copy(in, to);
        }
    }

    /**
     * Packs a working folder for handing in: the program's sources and the info with the end time.
     *
     * @param dir the working folder
     * @param now the end time
     * @return the zip, {@code dir/ID-exam.zip}
     * @throws IOException when the folder is not a paper or a file is missing
     */
    public static Path pack(Path dir, Instant now) throws IOException {
        Info info = Info.read(dir);
        Info ended =
                new Info(
                        info.exam(),
                        info.student(),
                        info.packageName(),
                        info.mainClass(),
                        info.files(),
                        info.concepts(),
                        info.started(),
                        now.toString());
        Path zip = dir.resolve(info.student().replaceAll("[^A-Za-z0-9._-]", "_") + "-exam.zip");
        Path tmp = dir.resolve(zip.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
                ZipOutputStream z = new ZipOutputStream(os)) {
            for (String f : info.files()) {
                Path src = info.sources(dir).resolve(f);
                if (!Files.isRegularFile(src)) {
                    throw new IOException(
                            src.toAbsolutePath()
                                    + " is missing: restore it (your paper's copy is in the zip you started from)");
                }
                put(
                        z,
                        "src/main/java/" + info.packageName().replace('.', '/') + "/" + f,
                        Files.readString(src, StandardCharsets.UTF_8));
            }
            if (info.concepts() > 0 && Files.isRegularFile(dir.resolve(Concepts.ANSWERS))) {
                put(
                        z,
                        Concepts.ANSWERS,
                        Files.readString(dir.resolve(Concepts.ANSWERS), StandardCharsets.UTF_8));
            }
            put(z, INFO, GSON.toJson(ended));
        }
        Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ended.write(dir);
        return zip;
    }
}
