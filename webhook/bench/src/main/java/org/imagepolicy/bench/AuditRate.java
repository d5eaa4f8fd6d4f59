package org.imagepolicy.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.imagepolicy.webhook.cli.Main;

/**
 * One {@code audit} command run RUNS times in one JVM, each timed by the process's CPU time (user and
 * system, every thread: the parsers, the judge, the JIT and the collector) and by the wall clock. The
 * first runs warm the JIT; the last runs are the steady figure. CPU time is what the shared development
 * machine can measure honestly; wall time is only meaningful on an idle one.
 *
 * <pre>java -cp benchmarks.jar org.imagepolicy.bench.AuditRate RUNS OBJECTS audit --policy P ... INPUTS</pre>
 *
 * Prints one line per run ({@code run=N wall_ms=... cpu_ms=... objects_per_cpu_s=...}) on standard output.
 */
public final class AuditRate {
    private AuditRate() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: AuditRate RUNS OBJECTS audit --policy P ... INPUTS");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[0]);
        long objects = Long.parseLong(args[1]);
        String[] command = Arrays.copyOfRange(args, 2, args.length);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int run = 1; run <= runs; run++) {
            StringWriter err = new StringWriter();
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            int exit = Main.run(new PrintWriter(OutputStream.nullOutputStream(), false), new PrintWriter(err), command);
            long wallMs = (System.nanoTime() - wall) / 1_000_000;
            long cpuMs = (os.getProcessCpuTime() - cpu) / 1_000_000;
            if (exit != 0 && exit != 1) {
                System.err.println("audit exited " + exit + ": " + err);
                System.exit(1);
            }
            System.out.printf("run=%d exit=%d wall_ms=%d cpu_ms=%d objects_per_cpu_s=%d%n", run, exit, wallMs, cpuMs,
                    cpuMs == 0 ? 0 : objects * 1000 / cpuMs);
        }
    }
}
