package org.dllab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code pom.xml} of a student's working copy (a homework or an exam paper), so that the folder
 * opens as a Maven project in IntelliJ IDEA, VS Code (Java extension pack) and Eclipse: DJL's
 * imports resolve, the public tests under {@code src/test/java} run and debug there, and {@code mvn
 * test} works offline. It depends on dllab's own modules as the launcher installs them in the local
 * Maven repository ({@code ./dllab} builds with {@code install}), and sets the engine's offline and
 * tracking properties and the malloc settings (see the README) for every test JVM.
 */
final class WorkingCopyPom {

    private WorkingCopyPom() {}

    /**
     * Writes {@code pom.xml} and a {@code .gitignore} for {@code target/} into a working copy.
     *
     * @param dir the working copy
     * @param artifactId e.g. {@code hw1}
     * @param name what the IDE shows
     * @param withTests whether the copy has tests (homework) and needs the grader's test base
     * @throws IOException when a file cannot be written
     */
    static void write(Path dir, String artifactId, String name, boolean withTests)
            throws IOException {
        String version = dllabVersion();
        // the homework tests' base classes (Points, fixtures) and JUnit come with dllab-grading;
        // its copy of the
        // templates is excluded so that the student's classes are the only ones of their package
        String dependency =
                withTests
                        ? """
                    <dependency>
                      <groupId>org.dllab</groupId>
                      <artifactId>dllab-grading</artifactId>
                      <version>${dllab.version}</version>
                      <exclusions>
                        <exclusion>
                          <groupId>org.dllab</groupId>
                          <artifactId>dllab-homework-templates</artifactId>
                        </exclusion>
                      </exclusions>
                    </dependency>
                """
                        : """
                    <dependency>
                      <groupId>org.dllab</groupId>
                      <artifactId>dllab-labs</artifactId>
                      <version>${dllab.version}</version>
                    </dependency>
                    <!-- runs a pretrained backbone exported to ONNX (optional in dllab-labs) -->
                    <dependency>
                      <groupId>ai.djl.onnxruntime</groupId>
                      <artifactId>onnxruntime-engine</artifactId>
                      <version>%s</version>
                    </dependency>
                """
                                .formatted(ai.djl.engine.Engine.getDjlVersion());
        String pom =
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by dllab: open this folder as a Maven project in your IDE, or run 'mvn -o test'.
                     It needs dllab in the local Maven repository: the dllab launcher's build installs it (run './dllab labs' in the dllab folder once).
                     'dllab homework test' and 'dllab homework pack' do not use this file. -->
                <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.dllab.work</groupId>
                  <artifactId>%s</artifactId>
                  <version>1</version>
                  <name>%s</name>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <dllab.version>%s</dllab.version>
                  </properties>
                  <dependencies>
                %s  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.14.0</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>3.5.4</version>
                        <configuration>
                          <argLine>-Xmx2g</argLine>
                          <systemPropertyVariables>
                            <ai.djl.offline>true</ai.djl.offline>
                            <OPT_OUT_TRACKING>true</OPT_OUT_TRACKING>
                          </systemPropertyVariables>
                          <environmentVariables>
                            <OPT_OUT_TRACKING>true</OPT_OUT_TRACKING>
                            <!-- glibc malloc keeps freed tensor memory; idle OpenMP threads sleep (org.dllab.core.NativeMemory) -->
                %s          </environmentVariables>
                          <trimStackTrace>false</trimStackTrace>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """
                        .formatted(artifactId, name, version, dependency, nativeSettings());
        Files.writeString(dir.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve(".gitignore"),
                "target/\n*-submission.zip\n*-exam.zip\n",
                StandardCharsets.UTF_8);
    }

    /**
     * The environment libtorch runs fast and fair with, as surefire entries (the same as the
     * launcher's).
     */
    private static String nativeSettings() {
        StringBuilder entries = new StringBuilder();
        new java.util.TreeMap<>(org.dllab.core.NativeMemory.SETTINGS)
                .forEach(
                        (k, v) ->
                                entries.append("            <")
                                        .append(k)
                                        .append('>')
                                        .append(v)
                                        .append("</")
                                        .append(k)
                                        .append(">\n"));
        return entries.toString();
    }

    private static String dllabVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in =
                WorkingCopyPom.class.getResourceAsStream("/dllab-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        String v = p.getProperty("version");
        if (v == null || v.startsWith("$")) {
            throw new IOException(
                    "dllab's version is unknown (dllab-version.properties was not filtered): rebuild with './mvnw -DskipTests install'");
        }
        return v;
    }
}
