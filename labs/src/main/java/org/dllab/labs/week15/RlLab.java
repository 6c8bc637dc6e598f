package org.dllab.labs.week15;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.dllab.core.DjlRuntime;
import org.dllab.labs.Lab;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.MemoryProbe;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 15: reinforcement learning. (1) Tabular Q-learning on a {@link GridWorld}, its greedy policy
 * drawn as arrows; (2) REINFORCE with a learned baseline and (3) Double DQN on {@link CartPole}
 * (Gym's CartPole-v1), with learning curves and a final test of 100 greedy episodes each (the usual
 * bar: an average return of at least 195).
 */
public final class RlLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w15-rl";

    /** REINFORCE episodes: the course's run climbs from about 13 to about 300 by episode 400. */
    public static final int REINFORCE_EPISODES = 600;

    /** DQN episodes at most. */
    public static final int DQN_EPISODES = 600;

    /** DQN environment steps at most (the cost is one gradient step each). */
    public static final long DQN_STEPS = 100_000;

    /** Q-learning episodes on the grid: it settles within about 100. */
    public static final int GRID_EPISODES = 500;

    /** Greedy test episodes. */
    public static final int TEST_EPISODES = 100;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 15;
    }

    @Override
    public String title() {
        return "Reinforcement learning: Q-learning on a grid world, REINFORCE and DQN on CartPole-v1";
    }

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(LabOption.EPISODES, LabOption.MAX_BATCHES, LabOption.RESUME);
    }

    @Override
    public String cpuOnlyBecause() {
        return "the agents' networks are tiny and the environments step on the CPU; a GPU would only add copies";
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        long seed = options.seed();
        Path runDir = run.dir();
        // --episodes sets the episodes of both CartPole agents; --max-batches caps them (quick
        // checks)
        int reinforceEpisodes = cap(options.episodesOr(REINFORCE_EPISODES), options.maxBatches());
        int dqnEpisodes = cap(options.episodesOr(DQN_EPISODES), options.maxBatches());
        int gridEpisodes = cap(GRID_EPISODES, options.maxBatches());
        int testEpisodes =
                options.maxBatches() > 0
                        ? (int) Math.min(TEST_EPISODES, options.maxBatches())
                        : TEST_EPISODES;
        RunRecord record =
                run.record()
                        .config("reinforce_episodes", reinforceEpisodes)
                        .config("dqn_episodes", dqnEpisodes)
                        .config("dqn_max_steps", DQN_STEPS)
                        .config("grid_episodes", gridEpisodes)
                        .config("test_episodes", testEpisodes);
        Map<String, Double> summary = new LinkedHashMap<>();

        // (1) Q-learning on the grid world
        GridWorld world = new GridWorld(GridWorld.DEFAULT_MAP);
        QLearning ql = new QLearning(world, seed);
        double[] gridTotals = ql.train(gridEpisodes);
        int path = ql.greedyPathLength();
        summary.put("grid_greedy_path_length", (double) path);
        summary.put("grid_shortest_path_length", (double) shortestPath(world));
        drawPolicy(world, ql, runDir.resolve("gridworld-policy.png"));
        if (log != null) {
            log.printf(
                    "Q-learning, %d episodes: greedy path %d steps (shortest %d), last episode reward %.0f%n",
                    gridEpisodes, path, shortestPath(world), gridTotals[gridTotals.length - 1]);
        }

        // (2) REINFORCE with baseline
        List<List<String>> rows = new ArrayList<>();
        XYChart chart =
                Plots.chart(
                        "CartPole-v1: return per episode (thin) and mean of the last 100 (thick)",
                        "episode",
                        "return");
        chart.getStyler().setXAxisDecimalPattern("#");
        double rssBefore = MemoryProbe.residentMegabytes();
        Trained reinforce =
                run.experiment(
                        "reinforce",
                        Trained.class,
                        () -> {
                            DjlRuntime.engine((int) seed);
                            try (Reinforce agent = new Reinforce(seed)) {
                                long t0 = System.nanoTime();
                                List<Integer> returns =
                                        agent.train(
                                                new CartPole(seed),
                                                reinforceEpisodes,
                                                progress(log, "REINFORCE"));
                                double seconds = (System.nanoTime() - t0) / 1e9;
                                int[] test =
                                        agent.evaluate(new CartPole(seed + 1000), testEpisodes);
                                return new Trained(
                                        returns, test, seconds, agent.policyParameters(), 0);
                            }
                        });
        report("REINFORCE + baseline", "reinforce", reinforce, chart, rows, summary, log);
        Trained dqn =
                run.experiment(
                        "dqn",
                        Trained.class,
                        () -> {
                            DjlRuntime.engine((int) seed);
                            try (Dqn agent = new Dqn(seed)) {
                                long t0 = System.nanoTime();
                                List<Integer> returns =
                                        agent.train(
                                                new CartPole(seed),
                                                new CartPole(seed + 2000),
                                                dqnEpisodes,
                                                options.maxBatches() > 0
                                                        ? 50L * options.maxBatches()
                                                        : DQN_STEPS,
                                                20,
                                                progress(log, "DQN"));
                                double seconds = (System.nanoTime() - t0) / 1e9;
                                int[] test =
                                        agent.evaluate(new CartPole(seed + 1000), testEpisodes);
                                return new Trained(
                                        returns, test, seconds, agent.parameters(), agent.steps());
                            }
                        });
        summary.put("dqn_steps", (double) dqn.steps());
        report("Double DQN", "dqn", dqn, chart, rows, summary, log);
        summary.put("rss_growth_mb", MemoryProbe.residentMegabytes() - rssBefore);
        BitmapEncoder.saveBitmap(
                chart,
                runDir.resolve("cartpole-returns.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
        double wall = run.seconds();
        record.result("cartpole", rows);
        run.save();
        new HtmlReport("Week 15: reinforcement learning")
                .heading("Q-learning on a grid world")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "%d episodes, alpha %.1f, gamma %.2f, epsilon %.1f. Greedy path: %d steps (shortest: %d). "
                                        + "Red: pit (-10), green: goal (+10), every step -1.",
                                gridEpisodes,
                                QLearning.ALPHA,
                                QLearning.GAMMA,
                                QLearning.EPSILON,
                                path,
                                shortestPath(world)))
                .image("Greedy policy and state values", runDir.resolve("gridworld-policy.png"))
                .heading("CartPole-v1")
                .table(
                        List.of(
                                "agent",
                                "parameters",
                                "episodes",
                                "first 20 (mean)",
                                "last 100 (mean)",
                                "first episode with 100-mean >= 195",
                                "greedy test, " + testEpisodes + " episodes",
                                "seconds"),
                        rows)
                .image("Returns", runDir.resolve("cartpole-returns.png"))
                .write(runDir);
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "Wall time %.0f s. Run folder: %s%n",
                    wall,
                    runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    private static int cap(int episodes, long maxBatches) {
        return maxBatches > 0 ? (int) Math.min(episodes, maxBatches) : episodes;
    }

    private static java.util.function.IntConsumer progress(PrintStream log, String name) {
        int[] n = {0};
        double[] sum = {0};
        return r -> {
            n[0]++;
            sum[0] += r;
            if (log != null && n[0] % 50 == 0) {
                log.printf(
                        Locale.ROOT,
                        "%s episode %d: mean return of the last 50 %.1f%n",
                        name,
                        n[0],
                        sum[0] / 50);
                sum[0] = 0;
            }
        };
    }

    /**
     * What training one CartPole agent measured.
     *
     * @param returns the return of every training episode
     * @param test the returns of the greedy test episodes
     * @param seconds training time
     * @param parameters the agent's network parameters
     * @param steps environment steps (DQN), or 0
     */
    record Trained(
            List<Integer> returns, int[] test, double seconds, long parameters, long steps) {}

    private static void report(
            String name,
            String key,
            Trained agent,
            XYChart chart,
            List<List<String>> rows,
            Map<String, Double> summary,
            PrintStream log) {
        List<Integer> returns = agent.returns();
        int[] test = agent.test();
        double seconds = agent.seconds();
        long parameters = agent.parameters();
        double[] avg = Agents.movingAverage(returns, 100);
        double[] x = new double[returns.size()];
        double[] y = new double[returns.size()];
        int solved = -1;
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = returns.get(i);
            if (solved < 0 && i >= 99 && avg[i] >= 195) {
                solved = i + 1;
            }
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE).setLineWidth(0.5f);
        chart.addSeries(name + ", mean of 100", x, avg)
                .setMarker(SeriesMarkers.NONE)
                .setLineWidth(2.5f);
        double first = returns.stream().limit(20).mapToInt(Integer::intValue).average().orElse(0);
        double last = avg.length == 0 ? 0 : avg[avg.length - 1];
        double testMean = Agents.mean(test);
        rows.add(
                List.of(
                        name,
                        String.format(Locale.ROOT, "%,d", parameters),
                        Integer.toString(returns.size()),
                        String.format(Locale.ROOT, "%.1f", first),
                        String.format(Locale.ROOT, "%.1f", last),
                        solved < 0 ? "not reached" : Integer.toString(solved),
                        String.format(Locale.ROOT, "%.1f", testMean),
                        String.format(Locale.ROOT, "%.0f", seconds)));
        summary.put(key + "_first20_mean", first);
        summary.put(key + "_last100_mean", last);
        summary.put(key + "_test_mean", testMean);
        summary.put(key + "_solved_episode", (double) solved);
        summary.put(key + "_seconds", seconds);
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "%s: first 20 episodes %.1f, last 100 %.1f, greedy test %.1f over %d episodes (%.0f s)%n",
                    name,
                    first,
                    last,
                    testMean,
                    test.length,
                    seconds);
        }
    }

    /**
     * The fewest steps from start to a goal (breadth-first search), to check what Q-learning found.
     *
     * @param world the world
     * @return the number of steps, or -1 when no goal can be reached
     */
    public static int shortestPath(GridWorld world) {
        int[] dist = new int[world.states()];
        java.util.Arrays.fill(dist, -1);
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        dist[world.start()] = 0;
        queue.add(world.start());
        while (!queue.isEmpty()) {
            int s = queue.poll();
            if (world.cell(s) == 'G') {
                return dist[s];
            }
            if (world.terminal(s)) {
                continue;
            }
            for (int a = 0; a < 4; a++) {
                int n = world.next(s, a);
                if (dist[n] < 0) {
                    dist[n] = dist[s] + 1;
                    queue.add(n);
                }
            }
        }
        return -1;
    }

    /**
     * Draws the grid: walls, pit, goal, the greedy action as an arrow and max Q as a number in
     * every free cell.
     *
     * @param world the world
     * @param ql the learner
     * @param file the PNG
     * @throws java.io.IOException when it cannot be written
     */
    public static void drawPolicy(GridWorld world, QLearning ql, Path file)
            throws java.io.IOException {
        int cell = 90;
        BufferedImage img =
                new BufferedImage(
                        world.columns() * cell, world.rows() * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int s = 0; s < world.states(); s++) {
            int x = (s % world.columns()) * cell;
            int y = (s / world.columns()) * cell;
            char c = world.cell(s);
            g.setColor(
                    switch (c) {
                        case '#' -> new Color(60, 60, 60);
                        case 'X' -> new Color(230, 120, 120);
                        case 'G' -> new Color(120, 200, 120);
                        case 'S' -> new Color(170, 200, 240);
                        default -> Color.WHITE;
                    });
            g.fillRect(x, y, cell, cell);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x, y, cell - 1, cell - 1);
            if (c == '#') {
                continue;
            }
            g.setColor(Color.BLACK);
            if (world.terminal(s)) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
                g.drawString(c == 'G' ? "G" : "X", x + cell / 2 - 10, y + cell / 2 + 10);
                continue;
            }
            drawArrow(g, x + cell / 2, y + cell / 2 - 8, ql.best(s), cell / 3);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(
                    String.format(Locale.ROOT, "%.1f", ql.value(s)),
                    x + cell / 2 - 14,
                    y + cell - 10);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static void drawArrow(Graphics2D g, int cx, int cy, int action, int length) {
        int dx = GridWorld.MOVES[action][1];
        int dy = GridWorld.MOVES[action][0];
        int x0 = cx - dx * length / 2;
        int y0 = cy - dy * length / 2;
        int x1 = cx + dx * length / 2;
        int y1 = cy + dy * length / 2;
        g.setStroke(new BasicStroke(4));
        g.drawLine(x0, y0, x1, y1);
        int hx = -dy;
        int hy = dx; // perpendicular
        int[] xs = {x1 + dx * 8, x1 + hx * 8, x1 - hx * 8};
        int[] ys = {y1 + dy * 8, y1 + hy * 8, y1 - hy * 8};
        g.fillPolygon(xs, ys, 3);
    }
}
