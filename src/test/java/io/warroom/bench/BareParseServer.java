package io.warroom.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The ceiling for ingest over HTTP on this machine: a bare Vert.x server (one event loop per core)
 * that reads each POST body, parses every NDJSON line with Jackson's streaming parser and throws
 * the values away. Run by {@link Bench} as its own process: {@code BareParseServer <port>}.
 */
public final class BareParseServer extends AbstractVerticle {
  private static final JsonFactory JSON = new JsonFactory();
  private final int port;

  private BareParseServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int loops = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareParseServer(port), new DeploymentOptions().setInstances(loops))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public void start(Promise<Void> started) {
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      long rows;
      try {
        rows = parse(body);
      } catch (Exception e) {
        req.response().setStatusCode(400).end(e.toString());
        return;
      }
      req.response().putHeader("Content-Type", "application/json")
          .end("{\"accepted\":" + rows + ",\"duplicates\":0,\"rejected\":[]}");
    })).listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
  }

  /** Reads every token of every line; answers the number of top-level objects. */
  static long parse(Buffer body) throws IOException {
    long rows = 0;
    long sink = 0;
    byte[] bytes = body.getBytes();
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken t;
      int depth = 0;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT -> depth++;
          case END_OBJECT -> {
            if (--depth == 0) rows++;
          }
          case VALUE_STRING -> sink += p.getText().length();
          case VALUE_NUMBER_INT -> sink += p.getLongValue();
          case VALUE_NUMBER_FLOAT -> sink += (long) p.getDoubleValue();
          default -> { }
        }
      }
    }
    return sink == Long.MIN_VALUE ? -1 : rows;
  }
}
