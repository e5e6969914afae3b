package io.warroom;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.Plan;
import io.warroom.store.Store;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The real server on a free port with an injected clock, and a client for it. Calls block the test
 * thread (never an event loop) until the answer is in.
 */
public final class TestApp implements AutoCloseable {
  public final Vertx vertx;
  public final WarroomVerticle app;
  public final WebClient client;
  public final MutableClock clock;
  public final int port;
  /** The deployment, when the Vert.x instance belongs to the test (closed by its extension). */
  private final String deployment;
  private boolean closed;

  private TestApp(Vertx vertx, WarroomVerticle app, MutableClock clock, String deployment) {
    this.vertx = vertx;
    this.app = app;
    this.clock = clock;
    this.deployment = deployment;
    this.port = app.port();
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port));
  }

  /**
   * The server on a Vert.x of its own, built with Micrometer's Vert.x metrics so that /metrics
   * shows the HTTP server's meters too (MetricsTest); closed with the server. Other tests deploy
   * on the Vert.x VertxExtension gives them ({@link #deploy}).
   */
  public static TestApp start(Config config, Plan plan, MutableClock clock) {
    return start(config, plan, clock, WarroomVerticle.memory());
  }

  public static TestApp start(Config config, Plan plan, MutableClock clock,
      Function<Vertx, Store> store) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    WarroomVerticle app = new WarroomVerticle(config, plan, clock, registry, store);
    await(vertx.deployVerticle(app));
    return new TestApp(vertx, app, clock, null);
  }

  /**
   * The server deployed on a test's own {@code vertx} (VertxExtension's, which closes it after the
   * test); its meters are kept in a registry of its own, without Vert.x's HTTP metrics.
   */
  public static TestApp deploy(Vertx vertx, Config config, Plan plan, MutableClock clock) {
    return deploy(vertx, config, plan, clock, WarroomVerticle.memory());
  }

  public static TestApp deploy(Vertx vertx, Config config, Plan plan, MutableClock clock,
      Function<Vertx, Store> store) {
    WarroomVerticle app = new WarroomVerticle(config, plan, clock,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), store);
    return new TestApp(vertx, app, clock, await(vertx.deployVerticle(app)));
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /** POSTs a body with a Content-Type; answers the raw response. */
  public HttpResponse<Buffer> post(String path, String contentType, String body) {
    return await(client.post(path).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)));
  }

  public HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  public JsonObject kpis() {
    HttpResponse<Buffer> r = get("/api/v1/kpis");
    if (r.statusCode() != 200) throw new AssertionError("GET /api/v1/kpis: " + r.statusCode());
    return r.bodyAsJsonObject();
  }

  /** The snapshot, read with a view token. */
  public JsonObject kpisAs(String viewToken) {
    HttpResponse<Buffer> r = await(client.get("/api/v1/kpis").putHeader("Authorization", "Bearer " + viewToken).send());
    if (r.statusCode() != 200) throw new AssertionError("GET /api/v1/kpis: " + r.statusCode());
    return r.bodyAsJsonObject();
  }

  /** Stops the server (again: nothing). */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    client.close();
    await(deployment == null ? vertx.close() : vertx.undeploy(deployment));
  }
}
