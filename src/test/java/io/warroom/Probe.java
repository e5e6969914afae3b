package io.warroom;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Whether a server answers at all, for waits on a process that starts or stops. */
public final class Probe {
  private Probe() {}

  /** True when {@code req} got any answer; false when it could not connect or timed out. */
  public static boolean answers(HttpClient http, HttpRequest req) {
    try {
      http.send(req, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
