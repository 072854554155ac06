package io.locusttelemetry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small HTTP target on 127.0.0.1 and a free port that answers at once, except that it stalls
 * for {@code stallMillis} at the end of every {@code periodMillis} (as a garbage collector or a
 * lock would): a request arriving in the stall waits until it ends. It counts what it served,
 * also per second, so a test can hold a generator's figures against the target's own.
 */
public final class StallTarget implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final long periodNanos;
    private final long stallNanos;
    private final long startNanos = System.nanoTime();
    private final AtomicLong served = new AtomicLong();
    private final Map<Long, LongAdder> perSecond = new ConcurrentHashMap<>();

    private StallTarget(long periodMillis, long stallMillis) throws IOException {
        this(periodMillis, stallMillis, 0);
    }

    private StallTarget(long periodMillis, long stallMillis, int port) throws IOException {
        if (periodMillis <= 0 || stallMillis < 0 || stallMillis >= periodMillis) {
            throw new IllegalArgumentException("a stall of " + stallMillis + " ms every " + periodMillis + " ms");
        }
        this.periodNanos = periodMillis * 1_000_000L;
        this.stallNanos = stallMillis * 1_000_000L;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A target that stalls for {@code stallMillis} every {@code periodMillis}; 0 never stalls. */
    public static StallTarget start(long periodMillis, long stallMillis) throws IOException {
        return new StallTarget(periodMillis, stallMillis);
    }

    /** A target that never stalls. */
    public static StallTarget start() throws IOException {
        return new StallTarget(1000, 0);
    }

    /**
     * Serves until killed: {@code java -cp test-peers/target/classes io.locusttelemetry.testing.StallTarget [periodMillis
     * stallMillis [port]]} (default 5000 1000, a free port); prints its URL, and what it served on exit.
     */
    public static void main(String[] args) throws Exception {
        long period = args.length > 0 ? Long.parseLong(args[0]) : 5000;
        long stall = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        StallTarget target = new StallTarget(period, stall, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("served " + target.served())));
        System.out.println(target.url() + " stalls " + stall + " ms every " + period + " ms");
        Thread.currentThread().join();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered so far. */
    public long served() {
        return served.get();
    }

    /** Requests answered per second since start (second 0 is the first), in order. */
    public Map<Long, Long> servedPerSecond() {
        Map<Long, Long> out = new TreeMap<>();
        perSecond.forEach((s, n) -> out.put(s, n.sum()));
        return out;
    }

    /** Milliseconds since the target started (the stalls' clock). */
    public long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            long phase = (System.nanoTime() - startNanos) % periodNanos;
            long stallLeft = stallNanos == 0 ? 0 : phase - (periodNanos - stallNanos);
            if (stallLeft >= 0 && stallNanos > 0) {
                Thread.sleep((periodNanos - phase) / 1_000_000L, (int) ((periodNanos - phase) % 1_000_000L));
            }
            byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            served.incrementAndGet();
            perSecond.computeIfAbsent((System.nanoTime() - startNanos) / 1_000_000_000L, k -> new LongAdder()).increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
