package io.locusttelemetry.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's own counters, read from one {@code /proc} file each: the resident memory of this
 * process and the bytes all network interfaces sent and received. A general library reads several
 * files per process or per interface for the same numbers, which made system sampling the largest
 * piece of telemetry's background work. Every method returns -1 (or null) where the file is
 * missing (not Linux) or unreadable, for the caller to fall back.
 */
public final class ProcFs {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path NET_DEV = Path.of("/proc/net/dev");
    private static final byte[] VM_RSS = "VmRSS:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ProcFs() {}

    /** Resident set size of this process in bytes ({@code VmRSS}), or -1. */
    public static long residentBytes() {
        byte[] b = read(STATUS);
        if (b == null) {
            return -1;
        }
        int at = indexOf(b, VM_RSS);
        if (at < 0) {
            return -1;
        }
        int[] pos = {at + VM_RSS.length};
        long kib = nextNumber(b, pos, b.length);
        return kib < 0 ? -1 : kib * 1024;
    }

    /**
     * Bytes sent and received, summed over every interface (loopback included, as psutil counts),
     * as {@code {sent, received}}; null when unavailable.
     */
    public static long[] networkBytes() {
        byte[] b = read(NET_DEV);
        return b == null ? null : parseNetDev(b);
    }

    /** Parses {@code /proc/net/dev}: after the two header lines, {@code name: rx_bytes ... tx_bytes ...}. */
    static long[] parseNetDev(byte[] b) {
        long sent = 0;
        long received = 0;
        int lines = 0;
        int i = 0;
        while (i < b.length) {
            int end = i;
            while (end < b.length && b[end] != '\n') {
                end++;
            }
            if (lines++ >= 2) {
                int colon = i;
                while (colon < end && b[colon] != ':') {
                    colon++;
                }
                if (colon < end) {
                    int[] pos = {colon + 1};
                    // receive: bytes packets errs drop fifo frame compressed multicast; then transmit bytes
                    long rx = nextNumber(b, pos, end);
                    for (int skip = 0; skip < 7; skip++) {
                        nextNumber(b, pos, end);
                    }
                    long tx = nextNumber(b, pos, end);
                    if (rx < 0 || tx < 0) {
                        return null;
                    }
                    received += rx;
                    sent += tx;
                }
            }
            i = end + 1;
        }
        return lines > 2 ? new long[] {sent, received} : null;
    }

    private static byte[] read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The next run of digits at or after {@code pos[0]} before {@code end}, advancing past it; -1 if none. */
    private static long nextNumber(byte[] b, int[] pos, int end) {
        int i = pos[0];
        while (i < end && (b[i] < '0' || b[i] > '9')) {
            i++;
        }
        if (i == end) {
            pos[0] = end;
            return -1;
        }
        long v = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        pos[0] = i;
        return v;
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i <= b.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
