package io.locusttelemetry.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * ZMTP 3 (ZeroMQ's wire protocol, RFC 23 and 37) as far as Locust's sockets use it: the 64-byte
 * greeting with the NULL mechanism, the {@code READY} command and its properties, and frame
 * headers. The master's own ROUTER ({@link ZmtpRouter}) and the benchmark's simulated workers
 * speak it through this class.
 */
public final class Zmtp {
    /** Bytes of a greeting's signature (0xFF, padding, 0x7F), which shows a ZMTP 3 peer from older ones. */
    public static final int SIGNATURE_BYTES = 10;
    /** Bytes of a greeting: signature, version, mechanism, as-server, filler. */
    public static final int GREETING_BYTES = 64;
    /** More frames of the same message follow. */
    public static final int FLAG_MORE = 1;
    /** The size is 8 bytes instead of 1. */
    public static final int FLAG_LONG = 2;
    /** A command (READY, PING, ERROR...), not a message frame. */
    public static final int FLAG_COMMAND = 4;
    /** Longest identity a peer may give (RFC 37). */
    public static final int MAX_IDENTITY_BYTES = 255;

    private static final byte[] NULL_MECHANISM = "NULL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READY = "READY".getBytes(StandardCharsets.US_ASCII);

    private Zmtp() {
    }

    /** A ZMTP 3.0 greeting for the NULL mechanism. */
    public static byte[] greeting() {
        byte[] g = new byte[GREETING_BYTES];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 0;
        System.arraycopy(NULL_MECHANISM, 0, g, 12, NULL_MECHANISM.length);
        return g;
    }

    /**
     * Why a peer's greeting cannot be spoken with, or null when it can: a ZMTP 3.x peer (any minor
     * version) offering the NULL mechanism. Older ZMTP versions and security mechanisms are refused.
     */
    public static String greetingProblem(byte[] g) {
        if ((g[0] & 0xFF) != 0xFF || (g[9] & 1) == 0) {
            return "not a ZMTP peer";
        }
        if (g[10] < 3) {
            return "ZMTP version " + g[10] + " (3 or later needed)";
        }
        for (int i = 0; i < 20; i++) {
            byte expected = i < NULL_MECHANISM.length ? NULL_MECHANISM[i] : 0;
            if (g[12 + i] != expected) {
                return "security mechanism other than NULL";
            }
        }
        return null;
    }

    /** The body of a READY command with {@code Socket-Type} and, when not null, {@code Identity}. */
    public static byte[] ready(String socketType, byte[] identity) {
        byte[] type = socketType.getBytes(StandardCharsets.US_ASCII);
        byte[] typeName = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        byte[] idName = "Identity".getBytes(StandardCharsets.US_ASCII);
        int size = 1 + READY.length + 1 + typeName.length + 4 + type.length
                + (identity == null ? 0 : 1 + idName.length + 4 + identity.length);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) READY.length).put(READY);
        b.put((byte) typeName.length).put(typeName).putInt(type.length).put(type);
        if (identity != null) {
            b.put((byte) idName.length).put(idName).putInt(identity.length).put(identity);
        }
        return b.array();
    }

    /** The command's name (the first length-prefixed string of its body), or null when the body is malformed. */
    public static String commandName(byte[] body) {
        if (body.length < 1 || (body[0] & 0xFF) > body.length - 1) {
            return null;
        }
        return new String(body, 1, body[0] & 0xFF, StandardCharsets.US_ASCII);
    }

    /** Whether {@code body} is a READY command. */
    public static boolean isReady(byte[] body) {
        return "READY".equals(commandName(body));
    }

    /**
     * The value of property {@code name} (matched without regard to case, as RFC 23 says) in a READY
     * command's body, or null when it has none.
     *
     * @throws IllegalArgumentException when the properties are malformed (a length past the end)
     */
    public static byte[] property(byte[] readyBody, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        int at = 1 + (readyBody[0] & 0xFF);
        byte[] found = null;
        while (at < readyBody.length) {
            int nameLength = readyBody[at] & 0xFF;
            if (nameLength == 0 || at + 1 + nameLength + 4 > readyBody.length) {
                throw new IllegalArgumentException("malformed READY property at byte " + at);
            }
            String n = new String(readyBody, at + 1, nameLength, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            at += 1 + nameLength;
            long valueLength = ByteBuffer.wrap(readyBody, at, 4).getInt() & 0xFFFFFFFFL;
            at += 4;
            if (valueLength > readyBody.length - at) {
                throw new IllegalArgumentException("READY property " + n + " runs past the command");
            }
            if (n.equals(wanted) && found == null) {
                found = java.util.Arrays.copyOfRange(readyBody, at, at + (int) valueLength);
            }
            at += (int) valueLength;
        }
        return found;
    }

    /** The body of an ERROR command giving {@code reason} (at most 255 ASCII characters). */
    public static byte[] error(String reason) {
        byte[] r = reason.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(r.length, 255);
        ByteBuffer b = ByteBuffer.allocate(1 + 5 + 1 + n);
        b.put((byte) 5).put("ERROR".getBytes(StandardCharsets.US_ASCII)).put((byte) n).put(r, 0, n);
        return b.array();
    }

    /**
     * The body of the PONG that answers a PING command's body (RFC 37: a 2-byte TTL, then a
     * context of up to 16 bytes, which PONG echoes).
     */
    public static byte[] pong(byte[] ping) {
        int contextStart = 1 + (ping[0] & 0xFF) + 2;
        int contextLength = Math.max(0, Math.min(ping.length - contextStart, 16));
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + contextLength);
        b.put((byte) 4).put("PONG".getBytes(StandardCharsets.US_ASCII));
        if (contextLength > 0) {
            b.put(ping, contextStart, contextLength);
        }
        return b.array();
    }

    /** Writes a frame header for {@code size} bytes with {@code flags} (the long form when needed) into {@code into}. */
    public static void putHeader(ByteBuffer into, int flags, long size) {
        if (size > 255) {
            into.put((byte) (flags | FLAG_LONG)).putLong(size);
        } else {
            into.put((byte) flags).put((byte) size);
        }
    }

    /** Bytes of the header {@link #putHeader} writes for {@code size}. */
    public static int headerBytes(long size) {
        return size > 255 ? 9 : 2;
    }

    /** A whole frame: header and body, ready to write. */
    public static ByteBuffer frame(int flags, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(headerBytes(body.length) + body.length);
        putHeader(b, flags, body.length);
        return b.put(body).flip();
    }
}
