package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.MsgpackReader;
import io.locusttelemetry.protocol.internal.MsgpackWriter;
import java.util.Objects;

/**
 * Converts {@link Message}s to and from the msgpack frame bodies Locust exchanges.
 *
 * <h2>Encoding</h2>
 * Byte-for-byte what msgpack-python's {@code packb} produces with its defaults: text is always
 * the str family, integers take the smallest encoding (non-negative values use the unsigned
 * family, negative values the signed one), {@link Double} is float64, maps and arrays get the
 * smallest header. Accepted values: null, {@link Boolean}, {@link Byte}/{@link Short}/
 * {@link Integer}/{@link Long}, {@link java.math.BigInteger} up to 2<sup>64</sup>-1,
 * {@link Double}, {@link Float} (written as float32 so that decoded float32 values re-encode
 * identically; Python peers only ever send float64), {@link CharSequence}, {@code byte[]} (bin),
 * {@link java.util.Collection} and {@code Object[]} (array), {@link java.util.Map} (in iteration
 * order), and {@link java.time.LocalDateTime}, {@link java.time.Instant} (taken in UTC),
 * {@link java.time.OffsetDateTime}, {@link java.time.ZonedDateTime} (local part), all written as
 * the naive datetime map of latest Locust: {@code {"__datetime__": true, "as_str":
 * "YYYYMMDDTHH:MM:SS.ffffff"}}. Anything else is rejected with {@link IllegalArgumentException}.
 *
 * <h2>Decoding</h2>
 * Tolerant of any integer width and of float32, strict about structure. Integers become
 * {@link Long}, except uint64 values above {@link Long#MAX_VALUE}, which become
 * {@link java.math.BigInteger}; float64 becomes {@link Double} and float32 {@link Float}; maps
 * become insertion-ordered {@link java.util.LinkedHashMap}s whose keys may be any scalar
 * (a repeated key keeps its first position and its last value, like a Python dict), except that a
 * non-empty map whose keys and values are all integers that fit a long (a report's histograms and
 * per-second counts) becomes a read-only, insertion-ordered {@code Map<Long, Long>} held in
 * primitive arrays, with the same rule for a repeated key. Datetime maps
 * are left as maps; see {@link LocustDateTime}. Truncation, trailing bytes, the reserved byte
 * 0xc1, ext types, invalid UTF-8, container map keys, envelopes other than {@code [str, any, str]}
 * and frames beyond the limits below throw {@link CorruptMessageException} and nothing else.
 *
 * <h2>Limits</h2>
 * A peer cannot make a decoder use more than its frame's worth of memory or any stack: a frame
 * may be at most {@link #MAX_FRAME_BYTES} (the sockets refuse bigger ones before reading them),
 * hold at most {@value io.locusttelemetry.protocol.internal.MsgpackReader#MAX_ELEMENTS} values, and
 * nest at most {@value io.locusttelemetry.protocol.internal.MsgpackReader#MAX_DEPTH} containers,
 * the envelope included (Locust's messages nest fewer than 10). Every length a frame declares
 * (array, map, string, bin) is checked against the bytes left before anything is allocated, and
 * decoding is iterative, so its stack use does not depend on the input. Encoding refuses data
 * nested deeper than a decoder accepts.
 *
 * <p>All methods are stateless and thread-safe.
 */
public final class MessageCodec {

    /** Largest frame body accepted (8 MiB); a Locust stats report of a busy worker is a few hundred KB. */
    public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    private MessageCodec() {
    }

    /**
     * Encodes a message as one frame body.
     *
     * @throws IllegalArgumentException if the data holds a value that cannot be encoded
     */
    public static byte[] encode(Message message) {
        Objects.requireNonNull(message, "message");
        MsgpackWriter w = new MsgpackWriter(64 + message.type().length() + message.nodeId().length());
        w.writeArrayHeader(3);
        w.writeString(message.type());
        w.writeValue(message.data(), 1);
        w.writeString(message.nodeId());
        return w.toByteArray();
    }

    /** Decodes one frame body. */
    public static Message decode(byte[] frame) throws CorruptMessageException {
        Objects.requireNonNull(frame, "frame");
        if (frame.length > MAX_FRAME_BYTES) {
            throw new CorruptMessageException("frame of " + frame.length + " bytes, more than " + MAX_FRAME_BYTES);
        }
        MsgpackReader r = new MsgpackReader(frame);
        long n = r.peekArrayLength();
        if (n < 0) {
            throw new CorruptMessageException("message is not an array");
        }
        if (n != 3) {
            throw new CorruptMessageException("message array has " + n + " elements, expected 3");
        }
        r.readArrayHeader();
        Object type = r.readValue(1);
        if (!(type instanceof String t)) {
            throw new CorruptMessageException("message type is not a string");
        }
        Object data = r.readValue(1);
        Object nodeId = r.readValue(1);
        if (!(nodeId instanceof String id)) {
            throw new CorruptMessageException("node id is not a string");
        }
        if (r.remaining() > 0) {
            throw new CorruptMessageException(r.remaining() + " trailing bytes after the message");
        }
        return new Message(t, data, id);
    }

    /** Encodes a single generic value (for custom payloads and tests). */
    public static byte[] encodeValue(Object value) {
        return new MsgpackWriter().writeValue(value).toByteArray();
    }

    /** Decodes a single generic value that must fill the whole buffer. */
    public static Object decodeValue(byte[] bytes) throws CorruptMessageException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_FRAME_BYTES) {
            throw new CorruptMessageException("value of " + bytes.length + " bytes, more than " + MAX_FRAME_BYTES);
        }
        MsgpackReader r = new MsgpackReader(bytes);
        Object v = r.readValue();
        if (r.remaining() > 0) {
            throw new CorruptMessageException(r.remaining() + " trailing bytes after the value");
        }
        return v;
    }
}
