package io.locusttelemetry.engine.process;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The one place where log lines that someone else can repeat at will are rate-limited: lines a
 * network peer triggers (malformed frames, unknown message types, impossible statistics, messages
 * from unknown workers) and lines a user's handler triggers on every message. Without it, a peer
 * sending garbage in a loop fills the disk.
 *
 * <p>Lines are grouped by a kind (a short key such as {@code "malformed"}). Each kind is logged the
 * first {@value #BURST} times, then at most once every {@link #PERIOD}; that line says how many of
 * its kind were held back since the previous one. Held-back lines still go to the DEBUG level, and
 * {@link #suppressedCount()} counts them. At most {@value #MAX_KINDS} kinds are told apart (a peer
 * may invent kinds, for example with message type names); beyond that they share one.
 *
 * <p>Thread-safe; the bookkeeping is a short synchronized section, off the request path.
 */
public final class LimitedLog {
    /** Lines of one kind logged before the limit applies. */
    public static final int BURST = 5;
    /** After the burst, one line of a kind per period. */
    public static final Duration PERIOD = Duration.ofSeconds(5);
    /** Kinds told apart; further kinds share {@link #OTHER}. */
    public static final int MAX_KINDS = 256;
    static final String OTHER = "(other)";

    private static final class Kind {
        long lines;
        long heldBack;
        long lastLoggedNanos;
        /** The last line held back, for {@link #flush()}. */
        Level heldLevel;
        String heldFormat;
        Object[] heldArgs;
    }

    private final Logger log;
    private final int burst;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Kind> kinds = new HashMap<>();
    private final AtomicLong suppressed = new AtomicLong();

    /** Limits the lines written to {@code log}. */
    public LimitedLog(Logger log) {
        this(log, BURST, PERIOD, System::nanoTime);
    }

    LimitedLog(Logger log, int burst, Duration period, LongSupplier nanoClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.burst = burst;
        this.periodNanos = period.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Logs a warning of {@code kind} unless that kind is over its limit; returns whether it was logged as a warning. */
    public boolean warn(String kind, String format, Object... args) {
        return log(Level.WARN, kind, format, args);
    }

    /** Logs an error of {@code kind} unless that kind is over its limit; returns whether it was logged as an error. */
    public boolean error(String kind, String format, Object... args) {
        return log(Level.ERROR, kind, format, args);
    }

    /** Logs at {@code level} unless the kind is over its limit (then at DEBUG); returns whether it was logged at {@code level}. */
    public boolean log(Level level, String kind, String format, Object... args) {
        long heldBack;
        synchronized (kinds) {
            Kind k = kinds.get(kind);
            if (k == null) {
                if (kinds.size() < MAX_KINDS) {
                    k = new Kind();
                    kinds.put(kind, k);
                } else {
                    k = kinds.computeIfAbsent(OTHER, x -> new Kind());
                }
            }
            long now = nanoClock.getAsLong();
            k.lines++;
            if (k.lines > burst && now - k.lastLoggedNanos < periodNanos) {
                k.heldBack++;
                k.heldLevel = level;
                k.heldFormat = format;
                k.heldArgs = args;
                suppressed.incrementAndGet();
                heldBack = -1;
            } else {
                heldBack = k.heldBack;
                k.heldBack = 0;
                k.heldFormat = null;
                k.heldArgs = null;
                k.lastLoggedNanos = now;
            }
        }
        if (heldBack < 0) {
            if (log.isDebugEnabled()) {
                log.debug(format, args);
            }
            return false;
        }
        if (heldBack == 0) {
            log.atLevel(level).log(format, args);
        } else {
            log.atLevel(level).log(format + " ({} more like it held back since the last one)", withCount(args, heldBack));
        }
        return true;
    }

    /**
     * Logs, for each kind with lines held back since its last line, the last of them with their
     * count, so the end of a flood is not lost; for when the source goes quiet (a socket closing).
     */
    public void flush() {
        java.util.List<Object[]> lines = new java.util.ArrayList<>();
        synchronized (kinds) {
            for (Kind k : kinds.values()) {
                if (k.heldBack > 0 && k.heldFormat != null) {
                    lines.add(new Object[] {k.heldLevel, k.heldFormat, withCount(k.heldArgs, k.heldBack - 1)});
                    k.heldBack = 0;
                    k.heldFormat = null;
                    k.heldArgs = null;
                }
            }
        }
        for (Object[] l : lines) {
            log.atLevel((Level) l[0]).log(l[1] + " ({} more like it held back before this last one)", (Object[]) l[2]);
        }
    }

    /** Lines held back so far, over all kinds. */
    public long suppressedCount() {
        return suppressed.get();
    }

    /** Puts the count before a trailing throwable, which SLF4J takes as the line's exception. */
    private static Object[] withCount(Object[] args, long count) {
        Object[] out = Arrays.copyOf(args, args.length + 1);
        if (args.length > 0 && args[args.length - 1] instanceof Throwable t) {
            out[args.length - 1] = count;
            out[args.length] = t;
        } else {
            out[args.length] = count;
        }
        return out;
    }
}
