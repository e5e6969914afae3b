package io.warroom.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.warroom.MutableClock;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Detection latency of alerts: the time from the answer to an ingest whose records cross a
 * threshold (a rule with {@code for} 0) to the {@code alert} event on the stream, over many
 * crossings, at the default push interval. The server runs on its own Vert.x instance, the client
 * (one HTTP client, one stream) on another, over loopback TCP.
 *
 * <p>Each cycle moves the server's clock on an hour (the last hour's window empties), posts a batch
 * that takes conversion to 0.02 (fires, critical) and one that takes it to 0.04 (resolves): two
 * crossings. Run: see the README's "Alert detection latency".
 */
public final class AlertLatencyBench {
  /** One log line per ingest request would be most of what is measured. */
  private static final Logger QUIET = Logger.getLogger("warroom.ingest");
  private static volatile CompletableFuture<Long> waiting;
  private static volatile String waitingFor;

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    MutableClock clock = MutableClock.at("2026-11-02T00:00:00+08:00");
    Plan plan = PlanParser.parse("{\"id\":\"bench\",\"start\":\"2026-11-01\",\"end\":\"2027-03-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"staleFeedMinutes\":0,\"alerts\":[{\"id\":\"conv\","
        + "\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\",\"warn\":0.027,\"critical\":0.024}]}");
    // Crossings are sent one after the other as fast as they are answered: no rate limit here.
    Config config = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.INGEST_RATE, "1000000", Config.INGEST_BURST, "1000000"), new String[0]);
    QUIET.setLevel(Level.WARNING);
    Vertx serverVertx = Vertx.vertx();
    WarroomVerticle app = new WarroomVerticle(config, plan, clock,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), WarroomVerticle.memory());
    await(serverVertx.deployVerticle(app));
    Vertx clientVertx = Vertx.vertx();
    WebClient http = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(app.port()));
    HttpClient streamClient = clientVertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(app.port()));
    openStream(streamClient);

    long[] fromAnswer = new long[cycles * 2];
    long[] fromSend = new long[cycles * 2];
    int n = 0;
    int id = 0;
    for (int c = -warmup; c < cycles; c++) {
      clock.advance(Duration.ofMinutes(61));
      String ts = clock.instant().toString();
      StringBuilder down = new StringBuilder("{\"type\":\"visit\",\"id\":\"v" + id++ + "\",\"ts\":\"" + ts
          + "\",\"channel\":\"tmall\",\"sessions\":1000}\n");
      StringBuilder up = new StringBuilder();
      for (int i = 0; i < 20; i++) down.append(order(id++, ts));
      for (int i = 0; i < 20; i++) up.append(order(id++, ts));
      long[] a = crossing(http, down.toString(), "firing");
      long[] b = crossing(http, up.toString(), "resolved");
      if (c >= 0) {
        fromAnswer[n] = a[0];
        fromSend[n++] = a[1];
        fromAnswer[n] = b[0];
        fromSend[n++] = b[1];
      }
    }
    Arrays.sort(fromAnswer);
    Arrays.sort(fromSend);
    long eventFirst = Arrays.stream(fromAnswer).filter(x -> x < 0).count();
    System.out.printf(Locale.ROOT, "alert detection latency: %d threshold crossings (%d warm-up), "
        + "rule with for 0, push interval %d ms%n", n, warmup * 2, config.pushIntervalMs());
    print("ingest answer -> alert event", fromAnswer);
    print("ingest request sent -> alert event", fromSend);
    System.out.printf(Locale.ROOT, "  the alert event arrived before the ingest answer in %d of %d%n",
        eventFirst, n);
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"));
    await(clientVertx.close());
    await(serverVertx.close());
  }

  private static String order(int id, String ts) {
    return "{\"type\":\"order\",\"id\":\"o" + id + "\",\"ts\":\"" + ts + "\",\"customerId\":\"c" + id
        + "\",\"amount\":100,\"channel\":\"tmall\"}\n";
  }

  /** Posts {@code body}; answers {answer -> event, sent -> event} in nanoseconds. */
  private static long[] crossing(WebClient http, String body, String state) throws Exception {
    CompletableFuture<Long> event = new CompletableFuture<>();
    waitingFor = state;
    waiting = event;
    long sent = System.nanoTime();
    // WebClient reads the body itself: HttpClientResponse.body() from a thread that is not the
    // connection's can miss the end in Vert.x 5.0.10 (eclipse-vertx/vert.x#6038).
    long answered = await(http.post("/api/v1/events").putHeader("Content-Type", "application/x-ndjson")
        .sendBuffer(Buffer.buffer(body)).map(resp -> {
          if (resp.statusCode() != 200) throw new IllegalStateException(resp.bodyAsString());
          return System.nanoTime();
        }));
    long at = event.get(10, TimeUnit.SECONDS);
    return new long[] {at - answered, at - sent};
  }

  private static void openStream(HttpClient client) throws Exception {
    StringBuilder pending = new StringBuilder();
    await(client.request(HttpMethod.GET, "/api/v1/stream").compose(req -> req.send()).map(resp ->
        resp.handler(buf -> {
          long t = System.nanoTime();
          pending.append(buf.toString());
          int end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            String frame = pending.substring(0, end);
            pending.delete(0, end + 2);
            if (!frame.contains("\nevent: alert\n")) continue;
            String data = frame.substring(frame.indexOf("data: ") + 6);
            CompletableFuture<Long> w = waiting;
            if (w != null && new JsonObject(data).getString("state").equals(waitingFor)) w.complete(t);
          }
        })));
  }

  private static void print(String what, long[] sortedNanos) {
    System.out.printf(Locale.ROOT, "  %-36s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
        what, ms(pct(sortedNanos, 0.50)), ms(pct(sortedNanos, 0.90)), ms(pct(sortedNanos, 0.99)),
        ms(sortedNanos[sortedNanos.length - 1]));
  }

  private static long pct(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
