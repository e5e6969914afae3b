package io.warroom.alert;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.TestApp;

final class TestSupport {
  private TestSupport() {}

  /** A JSON POST to {@code path}; the raw answer. */
  static HttpResponse<Buffer> post(TestApp app, String path, String body) {
    return TestApp.await(app.client.post(path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }
}
