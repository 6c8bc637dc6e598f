package org.dllab.grading.submission;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.dllab.grading.runner.HomeworkRunner;

/**
 * The APIs a homework's blanks must not use, found in the student's source by the Java compiler's
 * own parser and symbol resolution (so an alias, a {@code var}, a fully qualified name or a method
 * reference is found as surely as an import): HW1 is backpropagation by hand, so autograd is out;
 * HW3's attention is written from scratch, so DJL's Transformer blocks are out. A use costs the
 * blanks of the method it is in (every blank of the file when it is outside those methods), with a
 * note that says what and where.
 */
public final class ForbiddenApis {

    /**
     * One forbidden API.
     *
     * @param api {@code pkg.Type} (any use of the type), {@code pkg.Type#method} (the method, on
     *     that type or a subtype) or {@code pkg.*} (any type of the package and its subpackages)
     * @param files the homework files it applies to; empty for all
     * @param why the reason, for the student
     */
    public record Rule(String api, List<String> files, String why) {}

    /**
     * A use found.
     *
     * @param file the source file's name
     * @param line its line
     * @param method the method it is in, or empty
     * @param rule the rule it breaks
     * @param blanks the blanks it costs
     */
    public record Use(String file, long line, String method, Rule rule, Set<String> blanks) {

        /**
         * The note for the student.
         *
         * @return one line
         */
        public String note() {
            return "forbidden API "
                    + rule.api()
                    + " used in "
                    + file
                    + ":"
                    + line
                    + (method.isEmpty() ? "" : " (" + method + ")")
                    + ": "
                    + rule.why()
                    + "; the blanks "
                    + blanks
                    + " score 0";
        }
    }

    private static final String AUTOGRAD =
            "homework 1 is backpropagation by hand: compute every gradient yourself, without DJL's autograd";
    private static final String ATTENTION =
            "part A writes attention from scratch: DJL's Transformer blocks are not allowed there";

    private static final Map<String, List<Rule>> RULES =
            Map.of(
                    "hw1",
                            List.of(
                                    new Rule(
                                            "ai.djl.training.GradientCollector",
                                            List.of(),
                                            AUTOGRAD),
                                    new Rule(
                                            "ai.djl.engine.Engine#newGradientCollector",
                                            List.of(),
                                            AUTOGRAD),
                                    new Rule(
                                            "ai.djl.ndarray.NDArray#getGradient",
                                            List.of(),
                                            AUTOGRAD),
                                    new Rule(
                                            "ai.djl.ndarray.NDArray#setRequiresGradient",
                                            List.of(),
                                            AUTOGRAD),
                                    new Rule(
                                            "ai.djl.ndarray.NDArray#hasGradient",
                                            List.of(),
                                            AUTOGRAD),
                                    new Rule("ai.djl.training.Trainer", List.of(), AUTOGRAD)),
                    "hw3",
                            List.of(
                                    new Rule(
                                            "ai.djl.nn.transformer.*",
                                            List.of(
                                                    "MultiHeadAttention.java",
                                                    "EncoderBlock.java",
                                                    "PositionalEncoding.java"),
                                            ATTENTION)));

    private static final Pattern BLANK = Pattern.compile("TODO\\((hw\\d+-\\d+)\\)");

    private ForbiddenApis() {}

    /**
     * A homework's rules.
     *
     * @param homework e.g. {@code hw1}
     * @return the rules (empty when the homework has none)
     */
    public static List<Rule> rules(String homework) {
        return RULES.getOrDefault(homework, List.of());
    }

    /**
     * Finds the forbidden uses in a homework's sources (which must compile).
     *
     * @param homework e.g. {@code hw1}
     * @param sources the source root ({@code org/dllab/hw/HW/*.java} under it)
     * @param template the template's folder of the homework, where the blanks are marked
     * @return the uses, in file and line order
     * @throws IOException on read errors
     */
    public static List<Use> find(String homework, Path sources, Path template) throws IOException {
        Scan scan = new Scan(homework, template);
        if (rules(homework).isEmpty()) {
            return List.of();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<File> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files =
                    s.filter(p -> p.toString().endsWith(".java"))
                            .map(Path::toFile)
                            .sorted()
                            .toList();
        }
        try (StandardJavaFileManager fm =
                compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options =
                    List.of(
                            "-proc:none",
                            "-cp",
                            HomeworkRunner.childLibraryClasspath(),
                            "-encoding",
                            "UTF-8",
                            "--release",
                            "17");
            JavacTask task =
                    (JavacTask)
                            compiler.getTask(
                                    new StringWriter(),
                                    fm,
                                    d -> {},
                                    options,
                                    null,
                                    fm.getJavaFileObjectsFromFiles(files));
            task.addTaskListener(scan.listener(task));
            task.analyze();
        }
        return scan.uses();
    }

    /**
     * A scan that runs inside a compilation (the grader's own, so the sources are parsed and
     * resolved once): add {@link #listener(JavacTask)} to the compiler's task, read {@link #uses()}
     * when it is done.
     */
    public static final class Scan {
        private final List<Rule> rules;
        private final Path template;
        private final List<Use> uses = new ArrayList<>();

        /**
         * A scan for a homework.
         *
         * @param homework e.g. {@code hw1}
         * @param template the template's folder of the homework, where the blanks are marked
         */
        public Scan(String homework, Path template) {
            this.rules = rules(homework);
            this.template = template;
        }

        /**
         * The listener that scans each compilation unit once the compiler has resolved its symbols.
         *
         * @param task the compiler's task
         * @return the listener
         */
        public TaskListener listener(JavacTask task) {
            return new TaskListener() {
                @Override
                public void finished(TaskEvent e) {
                    if (e.getKind() == TaskEvent.Kind.ANALYZE
                            && e.getCompilationUnit() != null
                            && !rules.isEmpty()) {
                        try {
                            scanUnit(task, e.getCompilationUnit());
                        } catch (IOException unreadableTemplate) {
                            throw new java.io.UncheckedIOException(unreadableTemplate);
                        }
                    }
                }
            };
        }

        /**
         * The uses found, one per rule, file and line, in file and line order.
         *
         * @return the uses
         */
        public List<Use> uses() {
            Map<String, Use> distinct = new LinkedHashMap<>();
            uses.forEach(
                    u -> distinct.putIfAbsent(u.file() + ":" + u.line() + ":" + u.rule().api(), u));
            return distinct.values().stream()
                    .sorted(java.util.Comparator.comparing(Use::file).thenComparingLong(Use::line))
                    .toList();
        }

        private void scanUnit(JavacTask task, CompilationUnitTree unit) throws IOException {
            Trees trees = Trees.instance(task);
            Elements elements = task.getElements();
            Types types = task.getTypes();
            String file = Path.of(unit.getSourceFile().toUri()).getFileName().toString();
            List<Rule> applicable =
                    rules.stream()
                            .filter(r -> r.files().isEmpty() || r.files().contains(file))
                            .toList();
            if (applicable.isEmpty()) {
                return;
            }
            Map<String, Set<String>> blanksByMethod = blanksByMethod(template.resolve(file));
            new TreePathScanner<Void, Void>() {
                private String method = "";

                @Override
                public Void visitImport(ImportTree node, Void v) {
                    return null; // an import alone uses nothing; what it names is found where it is
                    // used
                }

                @Override
                public Void visitMethod(MethodTree node, Void v) {
                    String outer = method;
                    method = node.getName().toString();
                    try {
                        return super.visitMethod(node, v);
                    } finally {
                        method = outer;
                    }
                }

                @Override
                public Void visitClass(ClassTree node, Void v) {
                    String outer = method;
                    method = "";
                    try {
                        return super.visitClass(node, v);
                    } finally {
                        method = outer;
                    }
                }

                @Override
                public Void visitMemberReference(MemberReferenceTree node, Void v) {
                    check(trees.getElement(getCurrentPath()), node);
                    return super.visitMemberReference(node, v);
                }

                // a call's method and a constructor's type are the identifier or member select they
                // name: visited
                // below; a method reference's method is not, so it is checked on its own
                @Override
                public Void visitIdentifier(IdentifierTree node, Void v) {
                    check(trees.getElement(getCurrentPath()), node);
                    return super.visitIdentifier(node, v);
                }

                @Override
                public Void visitMemberSelect(MemberSelectTree node, Void v) {
                    check(trees.getElement(getCurrentPath()), node);
                    return super.visitMemberSelect(node, v);
                }

                private void check(Element e, com.sun.source.tree.Tree node) {
                    if (e == null) {
                        return;
                    }
                    for (Rule r : applicable) {
                        if (matches(r, e, elements, types)) {
                            long line =
                                    unit.getLineMap()
                                            .getLineNumber(
                                                    trees.getSourcePositions()
                                                            .getStartPosition(unit, node));
                            Set<String> blanks = blanksByMethod.getOrDefault(method, Set.of());
                            if (blanks.isEmpty()) {
                                blanks = blanksByMethod.getOrDefault("*", Set.of());
                            }
                            uses.add(new Use(file, line, method, r, blanks));
                            return;
                        }
                    }
                }
            }.scan(unit, null);
        }
    }

    private static boolean matches(Rule r, Element e, Elements elements, Types types) {
        String api = r.api();
        if (api.endsWith(".*")) {
            String pkg = api.substring(0, api.length() - 2);
            PackageElement p = elements.getPackageOf(e);
            String name = p == null ? "" : p.getQualifiedName().toString();
            return name.equals(pkg) || name.startsWith(pkg + ".");
        }
        int hash = api.indexOf('#');
        if (hash < 0) {
            TypeElement owner = e instanceof TypeElement t ? t : enclosingType(e);
            return owner != null
                    && owner.getQualifiedName().contentEquals(api)
                    && (e instanceof TypeElement || e.getKind() == ElementKind.CONSTRUCTOR);
        }
        if (!(e instanceof ExecutableElement m)
                || !m.getSimpleName().contentEquals(api.substring(hash + 1))) {
            return false;
        }
        TypeElement forbidden = elements.getTypeElement(api.substring(0, hash));
        TypeElement owner = enclosingType(m);
        if (forbidden == null || owner == null) {
            return false;
        }
        TypeMirror a = types.erasure(owner.asType());
        TypeMirror b = types.erasure(forbidden.asType());
        return types.isSubtype(a, b);
    }

    private static TypeElement enclosingType(Element e) {
        for (Element x = e; x != null; x = x.getEnclosingElement()) {
            if (x instanceof TypeElement t) {
                return t;
            }
        }
        return null;
    }

    /**
     * The blanks of each method of a template file ({@code TODO(hwN-k)} markers inside the method,
     * found with the compiler's parser), keyed by method name; key {@code *} holds every blank of
     * the file.
     */
    static Map<String, Set<String>> blanksByMethod(Path templateFile) throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        out.put("*", new LinkedHashSet<>());
        if (!Files.isRegularFile(templateFile)) {
            return out;
        }
        List<String> lines = Files.readAllLines(templateFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher b = BLANK.matcher(lines.get(i));
            while (b.find()) {
                out.get("*").add(b.group(1));
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm =
                compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task =
                    (JavacTask)
                            compiler.getTask(
                                    new StringWriter(),
                                    fm,
                                    d -> {},
                                    List.of("-proc:none"),
                                    null,
                                    fm.getJavaFileObjects(templateFile.toFile()));
            Trees trees = Trees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethod(MethodTree node, Void v) {
                        long from =
                                unit.getLineMap()
                                        .getLineNumber(
                                                trees.getSourcePositions()
                                                        .getStartPosition(unit, node));
                        long to =
                                unit.getLineMap()
                                        .getLineNumber(
                                                trees.getSourcePositions()
                                                        .getEndPosition(unit, node));
                        for (long l = from; l <= to && l <= lines.size(); l++) {
                            Matcher b = BLANK.matcher(lines.get((int) l - 1));
                            while (b.find()) {
                                out.computeIfAbsent(
                                                node.getName().toString(),
                                                k -> new LinkedHashSet<>())
                                        .add(b.group(1));
                            }
                        }
                        return super.visitMethod(node, v);
                    }
                }.scan(unit, null);
            }
        }
        return out;
    }
}
