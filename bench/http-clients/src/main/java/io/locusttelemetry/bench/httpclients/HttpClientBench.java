package io.locusttelemetry.bench.httpclients;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Closed-loop load from N virtual threads, each a user doing blocking GETs with no think time.
 *
 * <p>Usage: {@code HttpClientBench --candidate NAME --url URL [--users 50] [--warmup 20]
 * [--measure 15] [--expect-bytes N] [--server-pid PID] [--client-cpu N] [--server-cpu N]}.
 *
 * <p>After the warm-up it measures one window: requests completed (from the latency
 * histograms), process CPU time (OperatingSystemMXBean.getProcessCpuTime) and, from /proc,
 * the server's CPU time and how busy both cores were, so that time stolen by unrelated
 * processes shows up as "foreign" CPU. Prints one {@code RESULT key=value ...} line.
 */
public final class HttpClientBench {

    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private volatile boolean stop;
    private final LongAdder completed = new LongAdder();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String candidateName = require(opts, "candidate");
        URI uri = URI.create(require(opts, "url"));
        int users = Integer.parseInt(opts.getOrDefault("users", "50"));
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", "20"));
        double measure = Double.parseDouble(opts.getOrDefault("measure", "15"));
        int expectBytes = Integer.parseInt(opts.getOrDefault("expect-bytes", "-1"));
        long serverPid = Long.parseLong(opts.getOrDefault("server-pid", "-1"));
        int clientCpu = Integer.parseInt(opts.getOrDefault("client-cpu", "-1"));
        int serverCpu = Integer.parseInt(opts.getOrDefault("server-cpu", "-1"));
        int status = new HttpClientBench().run(candidateName, uri, users, warmup, measure,
                expectBytes, serverPid, clientCpu, serverCpu);
        // Some clients keep non-daemon threads around; the result is printed, so leave now.
        System.exit(status);
    }

    private int run(String candidateName, URI uri, int users, double warmupSeconds,
            double measureSeconds, int expectBytes, long serverPid, int clientCpu, int serverCpu)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Candidate candidate = Candidate.create(candidateName, uri, users);
        System.out.println("candidate " + candidateName + ": " + candidate.describe());
        System.out.println("jvm " + System.getProperty("java.vm.version") + ", availableProcessors="
                + Runtime.getRuntime().availableProcessors() + ", gc=" + gcNames());

        SingleWriterRecorder[] recorders = new SingleWriterRecorder[users];
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_NANOS, 3);
            recorders[i] = recorder;
            int index = i;
            threads.add(Thread.ofVirtual().name("user-" + i).start(() ->
                    userLoop(candidate, index, recorder, expectBytes, errors, firstError)));
        }

        // Warm-up, with a throughput line every 5 s to show whether it has levelled off.
        long warmupEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis(warmupSeconds));
        long lastCount = 0;
        long lastTime = System.nanoTime();
        while (true) {
            long left = warmupEnd - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Thread.sleep(Math.min(5_000, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            long now = System.nanoTime();
            long count = completed.sum();
            System.out.printf(Locale.ROOT, "warm-up %5.1fs: %.0f req/s%n",
                    warmupSeconds - (warmupEnd - now) / 1e9, (count - lastCount) * 1e9 / (now - lastTime));
            lastCount = count;
            lastTime = now;
        }

        // The window opens and closes with the recorder swaps; the main thread competes for the
        // same core, so each edge is timed as the midpoint of its swap loop.
        long errors0 = errors.get();
        long[] gc0 = gcTotals();
        ProcStat stat0 = ProcStat.read(serverPid, clientCpu, serverCpu);
        long[] self0 = selfStat();
        long cpu0 = os.getProcessCpuTime();
        long t0a = System.nanoTime();
        for (SingleWriterRecorder r : recorders) {
            r.reset();
        }
        long t0 = (t0a + System.nanoTime()) / 2;

        Thread.sleep(millis(measureSeconds));

        Histogram total = new Histogram(HIGHEST_NANOS, 3);
        long t1a = System.nanoTime();
        for (SingleWriterRecorder r : recorders) {
            total.add(r.getIntervalHistogram());
        }
        long t1 = (t1a + System.nanoTime()) / 2;
        long cpu1 = os.getProcessCpuTime();
        long[] self1 = selfStat();
        ProcStat stat1 = ProcStat.read(serverPid, clientCpu, serverCpu);
        long[] gc1 = gcTotals();
        long windowErrors = errors.get() - errors0;

        stop = true;
        for (Thread t : threads) {
            t.join(5_000);
        }
        try {
            candidate.close();
        } catch (Exception e) {
            System.out.println("close failed: " + e);
        }

        double seconds = (t1 - t0) / 1e9;
        long requests = total.getTotalCount();
        double cpuSeconds = (cpu1 - cpu0) / 1e9;
        Map<String, String> result = new LinkedHashMap<>();
        result.put("candidate", candidateName);
        result.put("requests", Long.toString(requests));
        result.put("seconds", fmt(seconds, 3));
        result.put("rps", fmt(requests / seconds, 0));
        result.put("cpu_s", fmt(cpuSeconds, 3));
        result.put("cpu_s_per_10k", requests == 0 ? "nan" : fmt(cpuSeconds * 10_000 / requests, 4));
        result.put("client_util_pct", fmt(100 * cpuSeconds / seconds, 1));
        long userTicks = self1[0] - self0[0];
        long sysTicks = self1[1] - self0[1];
        result.put("sys_pct_of_cpu", userTicks + sysTicks == 0 ? "nan"
                : fmt(100.0 * sysTicks / (userTicks + sysTicks), 1));
        result.put("ctxsw_per_req", requests == 0 ? "nan" : fmt((self1[2] - self0[2]) / (double) requests, 2));
        result.put("threads", Long.toString(self1[3]));
        result.put("p50_us", fmt(total.getValueAtPercentile(50) / 1e3, 1));
        result.put("p99_us", fmt(total.getValueAtPercentile(99) / 1e3, 1));
        result.put("max_us", fmt(total.getMaxValue() / 1e3, 0));
        result.put("errors", Long.toString(windowErrors));
        result.put("gc_count", Long.toString(gc1[0] - gc0[0]));
        result.put("gc_ms", Long.toString(gc1[1] - gc0[1]));
        result.put("peak_rss_mb", fmt(vmHwmKb() / 1024.0, 1));
        result.put("server_util_pct", stat0.serverTicks < 0 ? "nan"
                : fmt(100.0 * (stat1.serverTicks - stat0.serverTicks) / ProcStat.HZ / seconds, 1));
        if (clientCpu >= 0) {
            double busy = (stat1.clientCoreBusy - stat0.clientCoreBusy) / (double) ProcStat.HZ;
            result.put("client_core_foreign_pct", fmt(100 * Math.max(0, busy - cpuSeconds) / seconds, 1));
        }
        if (serverCpu >= 0 && stat0.serverTicks >= 0) {
            double busy = (stat1.serverCoreBusy - stat0.serverCoreBusy) / (double) ProcStat.HZ;
            double server = (stat1.serverTicks - stat0.serverTicks) / (double) ProcStat.HZ;
            result.put("server_core_foreign_pct", fmt(100 * Math.max(0, busy - server) / seconds, 1));
        }
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        if (firstError.get() != null) {
            System.out.println("first error: " + firstError.get() + " (total errors " + errors.get() + ")");
        }
        return requests > 0 ? 0 : 1;
    }

    private void userLoop(Candidate candidate, int index, SingleWriterRecorder recorder,
            int expectBytes, AtomicLong errors, AtomicReference<String> firstError) {
        UserClient client;
        try {
            client = candidate.newUser(index);
        } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, "newUser: " + e);
            return;
        }
        try (client) {
            while (!stop) {
                long start = System.nanoTime();
                try {
                    int n = client.get();
                    long elapsed = System.nanoTime() - start;
                    if (expectBytes >= 0 && n != expectBytes) {
                        throw new IllegalStateException("body was " + n + " bytes, expected " + expectBytes);
                    }
                    recorder.recordValue(Math.min(elapsed, HIGHEST_NANOS));
                    completed.increment();
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                    Thread.sleep(1); // do not spin on a dead server
                }
            }
        } catch (Exception e) {
            firstError.compareAndSet(null, "close: " + e);
        }
    }

    /** Counters from /proc: the server process and the two cores, in clock ticks. */
    private record ProcStat(long serverTicks, long clientCoreBusy, long serverCoreBusy) {
        // USER_HZ is 100 on every Linux configuration the JDK runs on.
        static final int HZ = 100;

        static ProcStat read(long serverPid, int clientCpu, int serverCpu) throws IOException {
            long server = -1;
            if (serverPid > 0) {
                String s = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
                // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                server = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
            long clientBusy = -1;
            long serverBusy = -1;
            for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
                if (clientCpu >= 0 && l.startsWith("cpu" + clientCpu + " ")) {
                    clientBusy = busy(l);
                } else if (serverCpu >= 0 && l.startsWith("cpu" + serverCpu + " ")) {
                    serverBusy = busy(l);
                }
            }
            return new ProcStat(server, clientBusy, serverBusy);
        }

        /**
         * user + nice + system + steal. irq and softirq are left out: on loopback they are mostly
         * the benchmark's own packets, and they are not charged to any process.
         */
        private static long busy(String line) {
            String[] f = line.trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[8]);
        }
    }

    /**
     * utime and stime of this process (ticks), context switches summed over its live threads
     * (voluntary + involuntary), and the number of live OS threads.
     */
    private static long[] selfStat() throws IOException {
        String s = Files.readString(Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        long switches = 0;
        long threads = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(task.resolve("status"));
                } catch (IOException gone) {
                    continue; // thread ended meanwhile
                }
                threads++;
                for (String l : lines) {
                    if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                        switches += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                    }
                }
            }
        }
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), switches, threads};
    }

    private static long vmHwmKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long[] gcTotals() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName().replace(' ', '_'));
        }
        return String.join(",", names);
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }
}
