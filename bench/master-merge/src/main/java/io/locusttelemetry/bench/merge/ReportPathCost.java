package io.locusttelemetry.bench.merge;

import io.locusttelemetry.cluster.internal.WireStats;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.protocol.LocustMessage;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.NodeId;
import io.locusttelemetry.protocol.ReportCheck;
import io.locusttelemetry.protocol.Stats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU one worker report costs a master's socket thread, stage by stage: decoding the frame,
 * its typed view, the check of its values ({@link ReportCheck}) and the merge into the master's
 * statistics, for the reports the simulator sends (10 names, 1000 requests a second, 3 s). It
 * reads the thread's own CPU time around each stage, so other load on the machine costs it
 * little, and prints microseconds per report every round:
 *
 * <pre>
 *   java -cp bench/master-merge/target/classes:cli/target/jlocust.jar \
 *     io.locusttelemetry.bench.merge.ReportPathCost [--rounds 20] [--reports 2000]
 * </pre>
 *
 * Run it with {@code -XX:TieredStopAtLevel=1} for the figures of a master that keeps C2 away.
 */
public final class ReportPathCost {
    private ReportPathCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = 20;
        int perRound = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--reports" -> perRound = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ReportFactory factory = new ReportFactory(10, 1000, 42);
        List<byte[]> frames = new ArrayList<>();
        double now = System.currentTimeMillis() / 1000.0;
        for (int i = 0; i < 500; i++) {
            Stats s = factory.busy(now - 3, now, Map.of("SaturationUser", 20L));
            frames.add(MessageCodec.encode(s.toMessage(NodeId.generate("sim-" + i))));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        RequestStats stats = new RequestStats();
        long bytes = 0;
        for (byte[] f : frames) {
            bytes += f.length;
        }
        System.out.printf(Locale.ROOT, "%d distinct reports, %d bytes on average; microseconds of CPU per report:%n",
                frames.size(), bytes / frames.size());
        System.out.printf(Locale.ROOT, "%6s %9s %9s %9s %9s %9s%n", "round", "decode", "typed", "check", "merge", "total");
        for (int r = 1; r <= rounds; r++) {
            long[] t = new long[4];
            for (int i = 0; i < perRound; i++) {
                byte[] frame = frames.get(i % frames.size());
                long a = mx.getCurrentThreadCpuTime();
                Message m = MessageCodec.decode(frame);
                long b = mx.getCurrentThreadCpuTime();
                Stats typed = (Stats) LocustMessage.fromWorker(m);
                long c = mx.getCurrentThreadCpuTime();
                String problem = ReportCheck.stats(m.data(), now);
                long d = mx.getCurrentThreadCpuTime();
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
                WireStats.merge(stats, typed);
                long e = mx.getCurrentThreadCpuTime();
                t[0] += b - a;
                t[1] += c - b;
                t[2] += d - c;
                t[3] += e - d;
            }
            double n = perRound * 1000.0;
            System.out.printf(Locale.ROOT, "%6d %9.1f %9.1f %9.1f %9.1f %9.1f%n", r, t[0] / n, t[1] / n, t[2] / n, t[3] / n,
                    (t[0] + t[1] + t[2] + t[3]) / n);
        }
    }
}
