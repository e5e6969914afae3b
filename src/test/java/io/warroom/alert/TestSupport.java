package io.warroom.alert;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.TestApp;
import java.util.function.BooleanSupplier;

final class TestSupport {
  private TestSupport() {}

  /** Waits until {@code condition} holds, polling; fails with {@code what} after the timeout. */
  static void eventually(BooleanSupplier condition, long timeoutMs, String what) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out: " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** A JSON POST to {@code path}; the raw answer. */
  static HttpResponse<Buffer> post(TestApp app, String path, String body) {
    return TestApp.await(app.client.post(path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }
}
