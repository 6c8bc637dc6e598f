package org.dllab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dllab.grading.quiz.MoodleXml;
import org.dllab.grading.quiz.Question;
import org.dllab.grading.quiz.Quiz;
import org.dllab.grading.quiz.QuizGrading;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dllab quiz ...}: the weekly quizzes: practice, paper variants, Moodle export, grading. */
@Command(
        name = "quiz",
        mixinStandardHelpOptions = true,
        description =
                "The ten weekly quizzes: take one in the terminal, print a student's variant, export to Moodle XML, grade collected answers.",
        subcommands = {
            QuizCommand.ListQuizzes.class,
            QuizCommand.Take.class,
            QuizCommand.Paper.class,
            QuizCommand.Export.class,
            QuizCommand.Grade.class
        },
        footer = {"", "See docs/quizzes.md (the bank's format, how answers are computed)."})
final class QuizCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, take, paper, export or grade");
    }

    /** The instructor's secret that per-student variants are drawn with; none for practice. */
    static final class SaltOption {
        @Option(
                names = "--salt",
                paramLabel = "TEXT",
                defaultValue = "",
                description =
                        "The secret the variants are drawn with (default: none, the practice variants anyone can reproduce).")
        String salt;
    }

    /** Which language(s) to show. */
    enum Lang {
        en,
        zh,
        both
    }

    static String show(Question.Text t, Lang lang) {
        return switch (lang) {
            case en -> t.en();
            case zh -> t.zh();
            default -> t.en() + "\n  " + t.zh();
        };
    }

    static void print(PrintWriter out, int number, Question.Instance q, Lang lang) {
        out.println();
        out.println(number + ". " + show(q.text(), lang));
        for (int i = 0; i < q.options().size(); i++) {
            out.println(
                    "   "
                            + (char) ('A' + i)
                            + ") "
                            + show(q.options().get(i).text(), lang).replace("\n  ", " / "));
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The quizzes and their questions.")
    static final class ListQuizzes implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            for (String id : Quiz.IDS) {
                Quiz q = Quiz.load(id);
                long drawn = q.questions().stream().filter(x -> !x.params().isEmpty()).count();
                out.printf(
                        Locale.ROOT,
                        "%-4s %d questions (%d with drawn numbers)  %s%n",
                        id,
                        q.questions().size(),
                        drawn,
                        q.title().en());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "take",
            mixinStandardHelpOptions = true,
            description =
                    "Answer a quiz in the terminal (one line per question); each answer is checked and explained at once.")
    static final class Take implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "QUIZ", description = "e.g. w06 (see 'dllab quiz list')")
        String id;

        @Option(
                names = "--student",
                paramLabel = "ID",
                defaultValue = "practice",
                description = "Your id: your own numbers (default: ${DEFAULT-VALUE}).")
        String student;

        @Option(
                names = "--lang",
                paramLabel = "en|zh|both",
                defaultValue = "both",
                description = "Language (default: ${DEFAULT-VALUE}).")
        Lang lang;

        @Option(
                names = "--answers",
                paramLabel = "CSV",
                description =
                        "Also append your answers as a row of this CSV (what 'dllab quiz grade' reads).")
        Path answers;

        @Override
        public Integer call() throws IOException {
            Quiz quiz = Quiz.load(id);
            PrintWriter out = spec.commandLine().getOut();
            out.println(show(quiz.title(), lang) + " (" + student + ")");
            out.println(
                    "Choices: a letter; numbers: as decimals; shapes: like (4, 16, 14, 14). Empty line: skip.");
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<Question.Instance> paper = quiz.paper(student, "");
            List<String> responses = new ArrayList<>();
            int right = 0;
            for (int i = 0; i < paper.size(); i++) {
                Question.Instance q = paper.get(i);
                print(out, i + 1, q, lang);
                out.print("> ");
                out.flush();
                String line = in.readLine();
                String response = line == null ? "" : line.trim();
                responses.add(response);
                boolean ok = q.accepts(response);
                right += ok ? 1 : 0;
                out.println(
                        (ok ? "Right. 正確。" : "Not quite. 不對。答案 answer: " + q.answerText())
                                + "\n   "
                                + show(q.explain(), lang).replace("\n  ", "\n   "));
            }
            out.printf(Locale.ROOT, "%n%d / %d right.%n", right, paper.size());
            out.flush();
            if (answers != null) {
                boolean fresh = !Files.exists(answers);
                List<String> lines = new ArrayList<>();
                if (fresh) {
                    List<String> head = new ArrayList<>(List.of("student"));
                    for (int i = 1; i <= paper.size(); i++) {
                        head.add("q" + i);
                    }
                    lines.add(String.join(",", head));
                }
                lines.add(
                        csv(student)
                                + ","
                                + String.join(
                                        ",", responses.stream().map(QuizCommand::csv).toList()));
                Files.write(
                        answers,
                        lines,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            return 0;
        }
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    @Command(
            name = "paper",
            mixinStandardHelpOptions = true,
            description =
                    "Print one student's variant of a quiz (for a paper quiz), with --key its answers.")
    static final class Paper implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "QUIZ", description = "e.g. w06")
        String id;

        @Option(
                names = "--student",
                paramLabel = "ID",
                required = true,
                description = "The student.")
        String student;

        @picocli.CommandLine.Mixin SaltOption salt;

        @Option(names = "--key", description = "Print the answers too (instructor).")
        boolean key;

        @Option(
                names = "--lang",
                paramLabel = "en|zh|both",
                defaultValue = "both",
                description = "Language (default: ${DEFAULT-VALUE}).")
        Lang lang;

        @Override
        public Integer call() throws IOException {
            Quiz quiz = Quiz.load(id);
            PrintWriter out = spec.commandLine().getOut();
            out.println(show(quiz.title(), lang) + " — " + student);
            List<Question.Instance> paper = quiz.paper(student, salt.salt);
            for (int i = 0; i < paper.size(); i++) {
                print(out, i + 1, paper.get(i), lang);
                if (key) {
                    out.println("   answer: " + paper.get(i).answerText());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Write a quiz as Moodle XML: one category per question with drawn variants (add one random question per category to the Moodle quiz).")
    static final class Export implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "QUIZ", description = "e.g. w06")
        String id;

        @Option(
                names = "--moodle",
                paramLabel = "FILE",
                required = true,
                description = "The XML file to write.")
        Path file;

        @Option(
                names = "--variants",
                paramLabel = "N",
                defaultValue = "20",
                description =
                        "Drawn versions of each parameterised question (default ${DEFAULT-VALUE}).")
        int variants;

        @picocli.CommandLine.Mixin SaltOption salt;

        @Override
        public Integer call() throws IOException {
            if (variants < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--variants must be at least 1");
            }
            int n = MoodleXml.write(Quiz.load(id), variants, salt.salt, file);
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    "Wrote "
                            + n
                            + " Moodle questions of "
                            + id
                            + " to "
                            + file.toAbsolutePath()
                            + ". In Moodle: Question bank > Import > Moodle XML; then add one 'random question' per dllab/"
                            + id
                            + " category.");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "grade",
            mixinStandardHelpOptions = true,
            description =
                    "Grade answers collected as CSV (header 'student,q1,q2,...'), each against that student's variant.")
    static final class Grade implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "QUIZ", description = "e.g. w06")
        String id;

        @Parameters(index = "1", paramLabel = "ANSWERS", description = "The answers CSV.")
        Path answers;

        @Option(
                names = "--out",
                paramLabel = "CSV",
                required = true,
                description = "The grades CSV to write.")
        Path outFile;

        @picocli.CommandLine.Mixin SaltOption salt;

        @Override
        public Integer call() throws IOException {
            List<QuizGrading.Result> results =
                    QuizGrading.grade(Quiz.load(id), answers, salt.salt, outFile);
            double mean =
                    results.stream()
                            .mapToDouble(r -> 100.0 * r.correct() / r.total())
                            .average()
                            .orElse(0);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    Locale.ROOT,
                    "%d students, mean %.1f %%: %s%n",
                    results.size(),
                    mean,
                    outFile.toAbsolutePath());
            out.flush();
            return 0;
        }
    }
}
