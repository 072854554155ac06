package io.locusttelemetry.engine.http.internal;

/** Byte counts as the client's messages show them. */
public final class Sizes {
    private Sizes() {}

    /** {@code 64 MiB}, {@code 512 KiB}, {@code 1 GiB}, or {@code 1000 bytes} when not a whole number of KiB. */
    public static String describe(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes > 0 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
