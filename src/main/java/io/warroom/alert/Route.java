package io.warroom.alert;

import io.vertx.core.json.JsonObject;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.AlertRule;
import io.warroom.plan.Plan.Risk;
import io.warroom.plan.Text;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who owns a rule's alerts and what they do about them (CONTRACT section 14): the owner team is
 * the rule's {@code owner}, else the plan's {@code owners} map by rule id, then KPI id, then
 * {@code "*"}; the runbook is the rule's, else the response of the first risk listing the rule.
 *
 * @param owner a team id, or null
 * @param runbook what to do, or null
 * @param risk the id of the first risk that lists the rule, or null
 */
public record Route(String owner, Text runbook, String risk) {
  public static final Route NONE = new Route(null, null, null);

  public static Route of(Plan plan, String ruleId, String kpi) {
    AlertRule own = null;
    for (AlertRule r : plan.alerts()) {
      if (r.id().equals(ruleId)) {
        own = r;
        break;
      }
    }
    String owner = own != null ? own.owner() : null;
    if (owner == null) owner = plan.owners().get(ruleId);
    if (owner == null && kpi != null) owner = plan.owners().get(kpi);
    if (owner == null) owner = plan.owners().get("*");
    Risk risk = null;
    for (Risk r : plan.risks()) {
      if (r.rules().contains(ruleId)) {
        risk = r;
        break;
      }
    }
    Text runbook = own != null && own.runbook() != null ? own.runbook()
        : risk != null ? risk.response() : null;
    return new Route(owner, runbook, risk == null ? null : risk.id());
  }

  /** A text as JSON: its string, the object of its languages, or null. */
  public static Object json(Text t) {
    if (t == null) return null;
    if (t.plain() != null) return t.plain();
    JsonObject o = new JsonObject();
    t.byLanguage().forEach(o::put);
    return o;
  }

  /** The text of {@link #json}. */
  public static Text text(Object v) {
    if (v == null) return null;
    if (v instanceof String s) return Text.of(s);
    Map<String, String> m = new LinkedHashMap<>();
    ((JsonObject) v).forEach(e -> m.put(e.getKey(), String.valueOf(e.getValue())));
    return new Text(null, m);
  }
}
