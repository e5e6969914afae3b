package io.warroom.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warroom.ingest.ValidText;
import io.warroom.live.KpiService;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.SignOff;
import io.warroom.plan.Plan.Week;
import io.warroom.plan.PlanException;
import io.warroom.plan.WallBytes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /api/v1/plan/milestones (admin, CONTRACT section 10): signs a text milestone off, or takes
 * the sign-off back, with who and when. The sign-off is kept with the plan: the plan carrying it
 * is put in force like any plan, so it reaches the other nodes and survives restarts. Sign-offs
 * on one node run one after another, each on the plan the previous one left.
 */
final class MilestoneHandler {
  private final KpiService kpis;
  private final Clock clock;
  private final long bodyLimit;
  private Future<Void> last = Future.succeededFuture();

  MilestoneHandler(KpiService kpis, Clock clock, long bodyLimit) {
    this.kpis = kpis;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
  }

  void handle(RoutingContext ctx) {
    Bodies.read(ctx, bodyLimit).onSuccess(body -> {
      Future<Void> mine = last.transform(ar -> signOff(ctx, body));
      last = mine;
    }).onFailure(ctx::fail);
  }

  private Future<Void> signOff(RoutingContext ctx, Buffer body) {
    JsonObject answer;
    Plan next;
    try {
      JsonObject o;
      try {
        o = new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        throw new PlanException("body", "must be a JSON object {\"week\", \"index\", \"done\", \"by\"}",
            "必须是 JSON 对象 {\"week\", \"index\", \"done\", \"by\"}");
      }
      Plan plan = kpis.plan();
      if (!(o.getValue("week") instanceof Integer w) || w < 1 || w > plan.weeks().size()) {
        throw new PlanException("week", "must be a week number from 1 to " + plan.weeks().size(),
            "必须是 1 到 " + plan.weeks().size() + " 之间的周序号");
      }
      Week wk = plan.weeks().get(w - 1);
      if (!(o.getValue("index") instanceof Integer i) || i < 0 || i >= wk.milestones().size()) {
        throw new PlanException("index", "must be the index of a milestone of week " + w
            + ", from 0 to " + (wk.milestones().size() - 1),
            "必须是第 " + w + " 周里程碑的序号，从 0 到 " + (wk.milestones().size() - 1));
      }
      Milestone m = wk.milestones().get(i);
      if (m.measured()) {
        throw new PlanException("index", "milestone " + i + " of week " + w
            + " is measured: its status follows its value and is not signed off",
            "第 " + w + " 周的里程碑 " + i + " 按指标衡量：状态随数值而定，不能签核");
      }
      if (!(o.getValue("done") instanceof Boolean done)) {
        throw new PlanException("done", "must be true or false", "必须是 true 或 false");
      }
      SignOff signOff = null;
      if (done) {
        Object by = o.getValue("by");
        ValidText.Problem problem = !(by instanceof String s)
            ? new ValidText.Problem("must be a string naming who signs off", "必须是字符串，写明签核人")
            : s.isBlank() ? new ValidText.Problem("must not be blank", "不能为空")
            : ValidText.problemOf(s, ValidText.MAX);
        if (problem != null) throw new PlanException("by", problem);
        signOff = new SignOff((String) by, clock.millis());
      }
      List<Milestone> ms = new ArrayList<>(wk.milestones());
      ms.set(i, m.signedOff(signOff));
      List<Week> weeks = new ArrayList<>(plan.weeks());
      weeks.set(w - 1, new Week(wk.start(), wk.end(), wk.owner(), wk.activities(), ms));
      next = plan.toBuilder().weeks(weeks).build();
      if (!WallBytes.fits(next)) {
        throw new PlanException("by", "too long to fit on the wall with the rest of the plan",
            "过长，与计划其余内容一起放不进大屏");
      }
      answer = new JsonObject().put("week", w).put("index", i).put("status", done ? "done" : "open");
      if (signOff != null) {
        answer.put("by", signOff.by()).put("at", Instant.ofEpochMilli(signOff.at()).toString());
      }
    } catch (PlanException e) {
      ctx.fail(e);
      return Future.succeededFuture();
    }
    return kpis.putPlan(next)
        .onSuccess(v -> ctx.response().putHeader("Content-Type", "application/json").end(answer.encode()))
        .onFailure(ctx::fail);
  }
}
