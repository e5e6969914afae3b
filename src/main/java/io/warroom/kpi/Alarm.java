package io.warroom.kpi;

import io.warroom.measure.Status;

/**
 * A firing alert as the statuses in the snapshot see it: the figure it watches ({@code kpi}: a KPI
 * id, {@code budget.<category>} or {@code feedIdleMinutes}), its rule, window and severity, and
 * whether it is recovering (back past its threshold, not yet by the rule's margin). A figure's
 * status is at least the severity of any alarm on it.
 */
public record Alarm(String kpi, String rule, String window, Status severity, boolean recovering) {}
