package io.warroom.alert;

import io.vertx.core.json.JsonObject;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One alert at one moment (CONTRACT section 7): the rule's episode {@code id}, its state and severity,
 * the value against the threshold of that severity, {@code since} when the condition began to
 * hold, and {@code resolvedAt}. Beyond the contract: {@code at}, when this state was entered;
 * {@code acknowledgedAt}; and {@code silenced}, whether a silence held back its notification.
 * Section 14: the {@code owner} team's id, the {@code runbook} and the {@code risk} (see
 * {@link Route}).
 */
public record Alert(String id, String rule, String kpi, String window, Severity severity,
    State state, BigDecimal value, BigDecimal threshold, long since, Long resolvedAt,
    String message, long at, Long acknowledgedAt, boolean silenced, String owner, Text runbook,
    String risk) {

  public Alert(String id, String rule, String kpi, String window, Severity severity,
      State state, BigDecimal value, BigDecimal threshold, long since, Long resolvedAt,
      String message, long at, Long acknowledgedAt, boolean silenced, Route route) {
    this(id, rule, kpi, window, severity, state, value, threshold, since, resolvedAt, message, at,
        acknowledgedAt, silenced, route.owner(), route.runbook(), route.risk());
  }

  public Route route() {
    return new Route(owner, runbook, risk);
  }

  public boolean active() {
    return state != State.RESOLVED;
  }

  /** The episode number at the end of the id ({@code <rule>-<n>}). */
  public long episode() {
    return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
  }

  Alert withReading(BigDecimal newValue, BigDecimal newThreshold, String newMessage) {
    return new Alert(id, rule, kpi, window, severity, state, newValue, newThreshold, since,
        resolvedAt, newMessage, at, acknowledgedAt, silenced, owner, runbook, risk);
  }

  /** This alert with another owner, runbook and risk (the plan changed them). */
  public Alert routed(Route r) {
    if (r.equals(route())) return this;
    return new Alert(id, rule, kpi, window, severity, state, value, threshold, since, resolvedAt,
        message, at, acknowledgedAt, silenced, r);
  }

  public Alert acknowledged(long when) {
    return new Alert(id, rule, kpi, window, severity, state, value, threshold, since, resolvedAt,
        message, at, acknowledgedAt == null ? when : acknowledgedAt, silenced, owner, runbook, risk);
  }

  public Alert silenced(boolean s) {
    return new Alert(id, rule, kpi, window, severity, state, value, threshold, since, resolvedAt,
        message, at, acknowledgedAt, s, owner, runbook, risk);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("rule", rule)
        .put("kpi", kpi)
        .put("window", window)
        .put("severity", severity.wire())
        .put("state", state.wire())
        .put("value", value)
        .put("threshold", threshold)
        .put("since", Instant.ofEpochMilli(since).toString())
        .put("resolvedAt", resolvedAt == null ? null : Instant.ofEpochMilli(resolvedAt).toString())
        .put("message", message)
        .put("at", Instant.ofEpochMilli(at).toString())
        .put("acknowledgedAt", acknowledgedAt == null ? null
            : Instant.ofEpochMilli(acknowledgedAt).toString())
        .put("silenced", silenced)
        .put("owner", owner)
        .put("runbook", Route.json(runbook))
        .put("risk", risk);
  }

  public static Alert fromJson(JsonObject o) {
    return new Alert(o.getString("id"), o.getString("rule"), o.getString("kpi"),
        o.getString("window"), Severity.of(o.getString("severity")), State.of(o.getString("state")),
        decimal(o.getValue("value")), decimal(o.getValue("threshold")), millis(o.getString("since")),
        o.getString("resolvedAt") == null ? null : millis(o.getString("resolvedAt")),
        o.getString("message"), millis(o.getString("at")),
        o.getString("acknowledgedAt") == null ? null : millis(o.getString("acknowledgedAt")),
        Boolean.TRUE.equals(o.getBoolean("silenced")), o.getString("owner"),
        Route.text(o.getValue("runbook")), o.getString("risk"));
  }

  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static BigDecimal decimal(Object v) {
    if (v == null) return null;
    if (v instanceof BigDecimal b) return b;
    return new BigDecimal(v.toString());
  }
}
