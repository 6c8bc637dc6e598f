package org.dllab.data;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where datasets are looked for, in order, and whether downloading is allowed.
 *
 * <ol>
 *   <li>{@code --data-dir} (if given);
 *   <li>the {@code DLLAB_DATA} environment variable (one or more folders, separated like PATH);
 *   <li>the user cache, {@code DLLAB_CACHE} or {@code ~/.dllab/datasets}, where downloads go.
 * </ol>
 *
 * Under each root a dataset lives in a folder named after it (see {@link
 * DatasetSpec#folderNames()}); a root may also be the dataset folder itself. {@code
 * DLLAB_OFFLINE=1} or {@code --offline} forbids every download.
 */
public final class DataLocations {

    /** Environment variable: folders holding datasets. */
    public static final String DATA_ENV = "DLLAB_DATA";

    /** Environment variable: where downloads are stored. */
    public static final String CACHE_ENV = "DLLAB_CACHE";

    /** Environment variable: {@code 1} or {@code true} forbids downloads. */
    public static final String OFFLINE_ENV = "DLLAB_OFFLINE";

    private final List<Path> roots;
    private final Path cache;
    private final boolean offline;

    /**
     * Creates locations explicitly (tests, embedding).
     *
     * @param roots folders searched in order, the cache last
     * @param cache where downloads go
     * @param offline true forbids downloads
     */
    public DataLocations(List<Path> roots, Path cache, boolean offline) {
        Set<Path> unique = new LinkedHashSet<>();
        for (Path r : roots) {
            unique.add(r.toAbsolutePath().normalize());
        }
        unique.add(cache.toAbsolutePath().normalize());
        this.roots = List.copyOf(unique);
        this.cache = cache.toAbsolutePath().normalize();
        this.offline = offline;
    }

    /**
     * Locations from the environment and the command line.
     *
     * @param dataDir {@code --data-dir}, or null
     * @param forceOffline {@code --offline}
     * @return the locations
     */
    public static DataLocations fromEnvironment(Path dataDir, boolean forceOffline) {
        List<Path> roots = new ArrayList<>();
        if (dataDir != null) {
            roots.add(dataDir);
        }
        String env = setting(DATA_ENV);
        if (env != null && !env.isBlank()) {
            for (String part : env.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    roots.add(Path.of(part.trim()));
                }
            }
        }
        String cacheEnv = setting(CACHE_ENV);
        Path cache =
                cacheEnv != null && !cacheEnv.isBlank()
                        ? Path.of(cacheEnv)
                        : Path.of(System.getProperty("user.home"), ".dllab", "datasets");
        return new DataLocations(roots, cache, forceOffline || isTrue(setting(OFFLINE_ENV)));
    }

    /**
     * Whether downloads are forbidden.
     *
     * @return true when offline
     */
    public boolean offline() {
        return offline;
    }

    /**
     * The folders searched, in order (the cache is last).
     *
     * @return the roots
     */
    public List<Path> roots() {
        return roots;
    }

    /**
     * The download cache.
     *
     * @return the cache folder
     */
    public Path cache() {
        return cache;
    }

    /**
     * Finds a complete copy of a dataset without downloading.
     *
     * @param spec the dataset
     * @return its folder, or null when no root has all its files
     */
    public Path find(DatasetSpec spec) {
        for (Path root : roots) {
            for (Path candidate : candidates(root, spec)) {
                if (Files.isDirectory(candidate) && spec.isComplete(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * Finds a dataset, downloading it into the cache when it is missing and downloads are allowed.
     *
     * @param spec the dataset
     * @param log where download progress goes (null for quiet)
     * @return the dataset folder
     * @throws DatasetNotFoundException when it is missing and cannot be downloaded
     * @throws IOException when a download fails
     */
    public Path resolve(DatasetSpec spec, PrintStream log) throws IOException {
        Path found = find(spec);
        if (found != null) {
            return found;
        }
        if (offline) {
            throw notFound(spec, "Downloads are off (DLLAB_OFFLINE=1 or --offline).");
        }
        Path target = cache.resolve(spec.folderNames().get(0));
        try {
            new Downloader(log).downloadAll(spec, target);
        } catch (IOException e) {
            throw new DatasetNotFoundException(
                    notFound(spec, "Downloading it failed: " + e.getMessage()).getMessage());
        }
        if (!spec.isComplete(target)) {
            throw notFound(
                    spec,
                    "The download finished but " + spec.missingIn(target) + " is still missing.");
        }
        return target;
    }

    /**
     * The error for a dataset that is not here: names the dataset, every folder searched, the
     * layout expected and the ways to fix it.
     *
     * @param spec the dataset
     * @param why the reason it was not downloaded
     * @return the exception
     */
    public DatasetNotFoundException notFound(DatasetSpec spec, String why) {
        StringBuilder sb = new StringBuilder();
        sb.append("Dataset '")
                .append(spec.name())
                .append("' (")
                .append(spec.title())
                .append(") was not found. ");
        sb.append(why).append("\n  Searched:");
        for (Path root : roots) {
            for (Path c : candidates(root, spec)) {
                sb.append("\n    ").append(c);
                if (Files.isDirectory(c)) {
                    sb.append("  (exists, missing: ")
                            .append(String.join(", ", spec.missingIn(c)))
                            .append(')');
                }
            }
        }
        sb.append("\n  Expected layout: ").append(spec.layout());
        sb.append("\n  Fix: point ")
                .append(DATA_ENV)
                .append(" (or --data-dir) at a folder holding '")
                .append(spec.folderNames().get(0))
                .append("/', or run 'dllab data download ")
                .append(spec.name())
                .append("' with network access (files go to ")
                .append(cache)
                .append(").");
        return new DatasetNotFoundException(sb.toString());
    }

    private static List<Path> candidates(Path root, DatasetSpec spec) {
        List<Path> result = new ArrayList<>();
        for (String name : spec.folderNames()) {
            result.add(root.resolve(name));
        }
        result.add(root); // the root may be the dataset folder itself (--data-dir ~/data/mnist)
        return result;
    }

    /**
     * A JVM system property of the same name overrides the environment variable ({@code
     * -DDLLAB_DATA=...}).
     */
    private static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    private static boolean isTrue(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("1") || s.equals("true") || s.equals("yes") || s.equals("on");
    }
}
