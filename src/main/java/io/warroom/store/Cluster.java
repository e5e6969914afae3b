package io.warroom.store;

import io.warroom.ingest.Rec;
import io.warroom.plan.Plan;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a node learns from the other nodes sharing its store: its number among them, how far it
 * is behind, and the records, plans and calendar changes they kept. A node alone is {@link #ALONE}.
 * Handlers run on the owning event loop.
 */
public interface Cluster {
  /** A node with no other nodes: number 0, never behind, never told anything. */
  Cluster ALONE = new Cluster() { };

  /** This node's number among the nodes sharing the store (0 alone). */
  default int node() {
    return 0;
  }

  /** How far the aggregates are behind what the store holds, in ms (0 alone). */
  default long lagMillis() {
    return 0;
  }

  /** Records kept by other nodes and folded in here since start. */
  default long replicated() {
    return 0;
  }

  /**
   * Hands over records kept in the store that did not come back from an append of this node:
   * kept by another node, or by an append of this node that failed although the database
   * committed (the answer was lost with the connection). The owner folds them in. Each call
   * hands the records of one read, one list per transaction, in the order of their ids.
   */
  default void onKept(Consumer<List<List<Rec>>> handler) {}

  /** Hands over a plan that another node put. */
  default void onPlan(Consumer<Plan> handler) {}

  /** Tells that another node changed the calendar. */
  default void onCampaigns(Runnable handler) {}
}
