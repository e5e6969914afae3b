package io.warroom.alert;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The writes asked of the alert log. Evaluation never waits for them: a failure is logged. They
 * complete in order, so waiting for the last one waits for all.
 */
final class LogWrites {
  private static final Logger LOG = Logger.getLogger(LogWrites.class.getName());

  private Future<Void> last = Future.succeededFuture();
  /** While carrying out commands: the writes they asked for, else null. */
  private List<Future<Void>> collecting;

  void keep(Future<Void> write, String what) {
    if (collecting != null) collecting.add(write);
    last = write.onFailure(err -> LOG.log(Level.WARNING, "could not keep " + what, err));
  }

  /** The last write asked for. */
  Future<Void> last() {
    return last;
  }

  /** Runs {@code work} and answers the writes it asked for. */
  List<Future<Void>> during(Runnable work) {
    List<Future<Void>> writes = new ArrayList<>();
    collecting = writes;
    try {
      work.run();
    } finally {
      collecting = null;
    }
    return writes;
  }
}
