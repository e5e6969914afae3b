package io.warroom.alert;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command queue in the alert log: acknowledgements and silences asked of a follower wait there
 * for the alerting node, which carries them out; the follower answers once it sees them done.
 */
final class Commands {
  private static final Logger LOG = Logger.getLogger(Commands.class.getName());
  /** How long a follower waits to see its command carried out by the alerting node. */
  static final long WAIT_MS = 5_000;

  private final Vertx vertx;
  private final AlertLog log;
  private final LogWrites writes;
  /** Commands waiting to be seen carried out. */
  private final List<Waiter> waiters = new ArrayList<>();

  /** A follower's command, answered once {@code done} holds (or failed after a while). */
  private record Waiter(BooleanSupplier done, Promise<Void> promise, long timer) {}

  Commands(Vertx vertx, AlertLog log, LogWrites writes) {
    this.vertx = vertx;
    this.log = log;
    this.writes = writes;
  }

  /**
   * Queues a command for the alerting node, answered once {@code done} holds (or failed with
   * {@link NotConfirmedException} after {@link #WAIT_MS}; it stays queued). {@code read} reads the
   * log to see it done.
   */
  Future<Void> queue(String kind, JsonObject body, BooleanSupplier done, Runnable read) {
    return log.queue(kind, body).recover(err -> Future.failedFuture(new NotConfirmedException(
        "cannot queue it for the alerting node: " + err.getMessage()))).compose(v -> {
      if (done.getAsBoolean()) return Future.succeededFuture();
      Promise<Void> p = Promise.promise();
      Waiter w = new Waiter(done, p, vertx.setTimer(WAIT_MS, id -> {
        waiters.removeIf(x -> x.promise() == p);
        p.tryFail(new NotConfirmedException("the alerting node has not confirmed it within "
            + WAIT_MS / 1000 + " s; it is queued and will be carried out"));
      }));
      waiters.add(w);
      read.run();
      return p.future();
    });
  }

  /** Answers the commands now seen done. */
  void answer() {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.done().getAsBoolean()) {
        it.remove();
        vertx.cancelTimer(w.timer());
        w.promise().tryComplete();
      }
    }
  }

  /** Fails every command still waiting: this node stops; they stay queued. */
  void stop() {
    for (Waiter w : waiters) {
      vertx.cancelTimer(w.timer());
      w.promise().tryFail(new NotConfirmedException("this node is stopping; it stays queued"));
    }
    waiters.clear();
  }

  /**
   * For the alerting node: carries out each queued command, then removes them once their effects
   * are kept. A command found again (its effects were not all kept) writes its effect again:
   * every write is idempotent.
   */
  Future<Void> carryOut(BooleanSupplier leading, Consumer<AlertLog.Command> each) {
    return log.commands().compose(commands -> {
      if (commands.isEmpty() || !leading.getAsBoolean()) return Future.succeededFuture();
      List<Future<Void>> kept = writes.during(() -> {
        for (AlertLog.Command c : commands) {
          try {
            each.accept(c);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot carry out alert command " + c.seq(), e);
          }
        }
      });
      List<Long> seqs = commands.stream().map(AlertLog.Command::seq).toList();
      return Future.all(kept).compose(v -> log.done(seqs));
    });
  }
}
