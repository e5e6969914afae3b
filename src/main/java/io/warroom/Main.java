package io.warroom;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.demo.DemoClock;
import io.warroom.demo.DemoData;
import io.warroom.demo.DemoFeed;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.PlanSense;
import io.warroom.plan.SeedPlan;
import io.warroom.tools.ImportCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import sun.misc.Signal;

/** {@code java -jar target/warroom.jar}: reads the settings, then starts the service. */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  static {
    // Netty's buffer pool registers its JFR event types with the flight recorder the first time it
    // allocates a chunk, on an event loop: seconds on a busy machine. warroom has its own metrics.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("import")) {
      System.exit(ImportCommand.run(
          Arrays.copyOfRange(args, 1, args.length), System.err));
    }
    Config config;
    Plan plan;
    Config.Demo demo;
    boolean warmUp;
    try {
      config = Config.from(System.getenv(), args);
      demo = Config.demo(System.getenv(), args);
      warmUp = Config.warmUp(System.getenv(), args);
      plan = loadPlan(config.planPath(), Clock.systemUTC());
    } catch (Config.ConfigException | PlanException e) {
      System.err.println("warroom: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogFormat.install(config.jsonLogs());
    for (String unknown : Config.unknownSettings(System.getenv())) LOG.warning(unknown);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    Clock clock = Clock.systemUTC();
    String demoToken = null;
    if (demo.on()) {
      // The demo's two A/B experiments, unless the plan declares its own.
      plan = DemoData.withExperiments(plan);
      // Demo time starts the evening before the plan's peak day and runs `speed` times faster.
      clock = new DemoClock(new DemoData(plan).peakEve(), demo.speed());
      if (!config.ingestTokens().isEmpty()) {
        // Its own named token, so its rate limit and metrics are its own.
        demoToken = HexFormat.of().formatHex(
            SecureRandom.getSeed(16));
        List<String> tokens = new ArrayList<>(config.ingestTokens());
        tokens.add("demo:" + demoToken);
        config = config.withTokens(tokens, config.adminToken(), config.viewToken());
      }
    }
    // The feed's own Vert.x, like an outside feed: its HTTP client stays out of the server's metrics.
    final Vertx demoVertx = demo.on() ? Vertx.vertx() : null;
    final Config cfg = config;
    final Plan thePlan = plan;
    final Clock appClock = clock;
    final String feedToken = demoToken;
    // The warm-up's own client, so that it does not share the server's event loop.
    Vertx warmUpClient = warmUp ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)) : null;
    WarroomVerticle app = new WarroomVerticle(config, plan, clock, registry,
        Stores.factory(config)).warmUp(warmUpClient);
    vertx.deployVerticle(app).andThen(ar -> {
      if (warmUpClient != null) warmUpClient.close();
    }).onSuccess(id -> {
      // the plan in force: a campaign of the calendar's, when one is, not the built-in one
      LOG.info("warroom serving on http://" + cfg.httpHost() + ":" + app.port() + " with plan "
          + app.kpis().plan().id() + (cfg.pgUrl() == null ? " (in-memory store)" : " (PostgreSQL store)"));
      if (demo.on()) {
        String host = cfg.httpHost().equals("0.0.0.0") || cfg.httpHost().equals("::")
            ? "127.0.0.1" : cfg.httpHost();
        demoVertx.deployVerticle(new DemoFeed(thePlan, appClock, host, app.port(), feedToken));
        LOG.info("demo: playing " + thePlan.id() + " from " + appClock.instant() + " at "
            + demo.speed() + "x real time; open http://localhost:" + app.port() + "/");
      }
      // SIGTERM/SIGINT: stop accepting, finish batches under way, close streams, exit 0.
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), sig -> new Thread(() -> {
          LOG.info("stopping on SIG" + sig.getName());
          try {
            // requests under way get 20 s, the rest a few more: under the usual 30 s before SIGKILL
            vertx.close().toCompletionStage().toCompletableFuture().get(25, TimeUnit.SECONDS);
            LOG.info("stopped");
            System.exit(0);
          } catch (Exception e) {
            LOG.severe("could not stop cleanly: " + e);
            System.exit(1);
          }
        }, "warroom-shutdown").start());
      }
    }).onFailure(err -> {
      System.err.println("warroom: cannot start: " + err.getMessage());
      vertx.close();
      System.exit(1);
    });
  }

  /** The plan file at {@code path}, or the seed plan for the current month when null. */
  public static Plan loadPlan(String path, Clock clock) {
    if (path == null) return SeedPlan.forCurrentMonth(clock);
    try {
      return PlanSense.check(PlanParser.parse(Files.readString(Path.of(path))));
    } catch (IOException e) {
      throw new PlanException(Config.PLAN, "cannot read '" + path + "': " + e.getMessage(),
          "无法读取“" + path + "”：" + e.getMessage());
    } catch (PlanException e) {
      throw new PlanException(Config.PLAN + " (" + path + ")", e.getMessage(),
          e.field() + ": " + e.reasonZh());
    }
  }
}
