package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.measure.Kpi;
import io.warroom.measure.Significance;
import io.warroom.measure.Sum;
import io.warroom.plan.Plan;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan's A/B experiments over the campaign window (CONTRACT section 12): per declared variant
 * its sessions, orders and order amount, from visits and orders that carry a declared experiment
 * and variant (others are not counted here). Memory is fixed by the plan: at most 20 experiments
 * of at most 8 variants. The snapshot section `experiments` is written from these sums alone, so
 * its bytes change only when they do. Not thread-safe: the aggregator's owner.
 */
public final class Experiments implements Section {
  public static final String BETTER = "better";
  public static final String WORSE = "worse";
  public static final String NO_DIFFERENCE = "no difference yet";

  /** One variant's sums. */
  public static final class Arm {
    final Sum sessions = new Sum();
    long orders;
    final Sum revenue = new Sum();

    public Sum sessions() {
      return sessions;
    }

    public long orders() {
      return orders;
    }

    /** Order amount, cents. */
    public Sum revenue() {
      return revenue;
    }

    public Double conversion() {
      return Kpi.ratio(orders, sessions);
    }

    public Double aov() {
      return Kpi.perOrder(revenue, orders);
    }
  }

  /** A variant against the control: lift, its sequence, both p-values and the decision. */
  public record Result(String variant, Double lift, double[] ci, Double pValue,
      double sequentialPValue, String decision) {}

  private final List<Plan.Experiment> declared;
  /** Experiment id -> variant -> sums, for the declared ones only. */
  private final Map<String, Map<String, Arm>> arms = new HashMap<>();

  public Experiments(Plan plan) {
    this.declared = plan.experiments();
    for (Plan.Experiment x : declared) {
      Map<String, Arm> m = new HashMap<>();
      for (String v : x.variants()) m.put(v, new Arm());
      arms.put(x.id(), m);
    }
  }

  @Override
  public String name() {
    return "experiments";
  }

  /** Whether the plan declares any experiment. */
  public boolean any() {
    return !declared.isEmpty();
  }

  /** The ids of the declared experiments. */
  public List<String> ids() {
    return declared.stream().map(Plan.Experiment::id).toList();
  }

  /** Counts a record of the campaign window, when it names a declared experiment and variant. */
  public void apply(Rec r) {
    if (r.extra == null || r.extra.experiment() == null) return;
    Arm a = arm(r.extra.experiment(), r.extra.variant());
    if (a == null) return;
    if (r.type == RecordType.ORDER) {
      a.orders++;
      a.revenue.add(r.amountCents);
    } else if (r.type == RecordType.VISIT) {
      a.sessions.add(r.sessions);
    }
  }

  /**
   * Folds in a store's rollup of the campaign window's records of one type for one experiment
   * and variant: their count, the sum of their amounts (cents) and of their sessions.
   */
  public void load(String experiment, String variant, RecordType type, long count, Sum amount,
      Sum sessions) {
    Arm a = arm(experiment, variant);
    if (a == null) return;
    if (type == RecordType.ORDER) {
      a.orders += count;
      a.revenue.add(amount, 1);
    } else if (type == RecordType.VISIT) {
      a.sessions.add(sessions, 1);
    }
  }

  /** A declared variant's sums, or null. */
  public Arm arm(String experiment, String variant) {
    Map<String, Arm> m = arms.get(experiment);
    return m == null ? null : m.get(variant);
  }

  /** The chi-square p-value of the sessions against the planned split, or null without sessions. */
  public Double srmPValue(Plan.Experiment x) {
    double[] observed = new double[x.variants().size()];
    double[] shares = new double[observed.length];
    for (int i = 0; i < observed.length; i++) {
      observed[i] = arm(x.id(), x.variants().get(i)).sessions.doubleValue();
      shares[i] = x.split().get(i);
    }
    return Significance.srm(observed, shares);
  }

  /** Whether the split looks broken: a sample-ratio p-value below the threshold. */
  public static boolean srmWarning(Double srmPValue) {
    return srmPValue != null && srmPValue < Significance.SRM_THRESHOLD;
  }

  /** The declared experiment of an id, or null. */
  public Plan.Experiment experiment(String id) {
    for (Plan.Experiment x : declared) if (x.id().equals(id)) return x;
    return null;
  }

  /** Each variant but the control, against the control. */
  public List<Result> results(Plan.Experiment x) {
    Arm control = arm(x.id(), x.control());
    double n1 = control.sessions.doubleValue();
    List<Result> out = new ArrayList<>();
    for (String v : x.variants()) {
      if (v.equals(x.control())) continue;
      Arm a = arm(x.id(), v);
      double n2 = a.sessions.doubleValue();
      Double lift = lift(control, a);
      Double p = Significance.zTest(control.orders, n1, a.orders, n2);
      Significance.Sequential s = Significance.sequential(control.orders, n1, a.orders, n2);
      double seq = s == null ? 1 : s.pValue();
      if (p != null) seq = Math.max(seq, p);
      String decision = seq < Significance.ALPHA && lift != null && lift != 0
          ? (lift > 0 ? BETTER : WORSE) : NO_DIFFERENCE;
      out.add(new Result(v, lift, s == null ? null : new double[] {s.low(), s.high()}, p, seq,
          decision));
    }
    return out;
  }

  /**
   * The variant's conversion over the control's, minus 1: (o2 n1 - o1 n2) / (o1 n2) in integers,
   * then 34 digits, then the nearest double (two double divisions were 3.6e-15 off at 10,000
   * sessions). Null when either arm has no sessions or the control no orders.
   */
  static Double lift(Arm control, Arm variant) {
    if (control.sessions.isZero() || variant.sessions.isZero() || control.orders == 0) return null;
    BigInteger o1 = BigInteger.valueOf(control.orders);
    BigInteger o2 = BigInteger.valueOf(variant.orders);
    BigInteger n1 = control.sessions.toBigInteger();
    BigInteger n2 = variant.sessions.toBigInteger();
    BigInteger den = o1.multiply(n2);
    BigInteger num = o2.multiply(n1).subtract(den);
    return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL128).doubleValue();
  }

  @Override
  public void write(JsonGenerator g, Figures f) throws IOException {
    g.writeStartObject();
    for (Plan.Experiment x : declared) {
      g.writeObjectFieldStart(x.id());
      g.writeFieldName("text");
      SnapshotWriter.text(g, x.text());
      g.writeStringField("control", x.control());
      g.writeObjectFieldStart("variants");
      for (int i = 0; i < x.variants().size(); i++) {
        String v = x.variants().get(i);
        Arm a = arm(x.id(), v);
        g.writeObjectFieldStart(v);
        g.writeNumberField("split", x.split().get(i));
        g.writeFieldName("sessions");
        SnapshotWriter.number(g, Kpi.count(a.sessions));
        g.writeNumberField("orders", a.orders);
        g.writeFieldName("conversion");
        number(g, a.conversion());
        g.writeFieldName("revenue");
        SnapshotWriter.number(g, a.revenue.toDecimal(2));
        g.writeFieldName("aov");
        SnapshotWriter.number(g, a.aov());
        g.writeEndObject();
      }
      g.writeEndObject();
      Double srm = srmPValue(x);
      g.writeFieldName("srmPValue");
      number(g, srm);
      g.writeBooleanField("srmWarning", srmWarning(srm));
      g.writeArrayFieldStart("results");
      for (Result r : results(x)) {
        g.writeStartObject();
        g.writeStringField("variant", r.variant());
        g.writeFieldName("lift");
        number(g, r.lift());
        g.writeFieldName("ci");
        if (r.ci() == null) {
          g.writeNull();
        } else {
          g.writeStartArray();
          g.writeNumber(r.ci()[0]);
          g.writeNumber(r.ci()[1]);
          g.writeEndArray();
        }
        g.writeFieldName("pValue");
        number(g, r.pValue());
        g.writeNumberField("sequentialPValue", r.sequentialPValue());
        g.writeStringField("decision", r.decision());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, Double d) throws IOException {
    if (d == null || d.isNaN() || d.isInfinite()) g.writeNull();
    else g.writeNumber(d);
  }
}
