package io.warroom.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's CPU in the names Prometheus uses (`process_cpu_seconds_total`), the processors it
 * may use and the system load: Micrometer's ProcessorMetrics names them `process_cpu_time_ns_total`
 * and `system_cpu_count`, which `promtool check metrics` refuses.
 */
final class ProcessMetrics {
  private ProcessMetrics() {}

  static void bindTo(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds").description("CPU time used by this process")
          .register(registry);
      Gauge.builder("process.cpu.usage", sun,
          com.sun.management.OperatingSystemMXBean::getProcessCpuLoad)
          .description("Share of the machine's CPU this process used recently").register(registry);
    }
    Gauge.builder("system.cpus", os, OperatingSystemMXBean::getAvailableProcessors)
        .description("Processors available to this process").register(registry);
    Gauge.builder("system.load.average.1m", os, OperatingSystemMXBean::getSystemLoadAverage)
        .description("The system's load average over the last minute").register(registry);
  }
}
