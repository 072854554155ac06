package io.locusttelemetry.protocol.internal;

import io.locusttelemetry.protocol.CorruptMessageException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded msgpack decoder for untrusted frames.
 *
 * <p>Every declared length is checked against the bytes actually left before anything is
 * allocated, and container pre-sizing is capped, so memory use stays proportional to the frame
 * size whatever the headers claim. Nesting is limited to keep the recursion off the stack limit.
 * All failures surface as {@link CorruptMessageException}.
 */
public final class MsgpackReader {

    /** Deepest container nesting accepted. */
    public static final int MAX_DEPTH = 512;

    private static final int MAX_PRESIZE = 64;

    private final byte[] buf;
    private final int end;
    private int pos;
    private CharsetDecoder utf8;

    public MsgpackReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public MsgpackReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("offset/length outside the buffer");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    /** Peeks whether the next value is an array header and returns its element count, else -1. */
    public long peekArrayLength() throws CorruptMessageException {
        if (pos >= end) {
            throw corrupt("empty frame");
        }
        int b = buf[pos] & 0xff;
        if ((b & 0xf0) == 0x90) {
            return b & 0x0f;
        }
        if (b == 0xdc) {
            need(3);
            return ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        }
        if (b == 0xdd) {
            need(5);
            return readU32(pos + 1);
        }
        return -1;
    }

    /** Consumes an array header, returning its declared length. */
    public long readArrayHeader() throws CorruptMessageException {
        long n = peekArrayLength();
        if (n < 0) {
            throw corrupt("expected an array");
        }
        int b = buf[pos] & 0xff;
        pos += b == 0xdc ? 3 : b == 0xdd ? 5 : 1;
        return n;
    }

    public Object readValue() throws CorruptMessageException {
        return read(0);
    }

    private Object read(int depth) throws CorruptMessageException {
        if (pos >= end) {
            throw corrupt("truncated: value expected");
        }
        int b = buf[pos++] & 0xff;
        if (b <= 0x7f) {
            return (long) b;
        }
        if (b >= 0xe0) {
            return (long) (byte) b;
        }
        if (b <= 0x8f) {
            return readMap(b & 0x0f, depth);
        }
        if (b <= 0x9f) {
            return readArray(b & 0x0f, depth);
        }
        if (b <= 0xbf) {
            return readString(b & 0x1f);
        }
        switch (b) {
            case 0xc0:
                return null;
            case 0xc1:
                throw corrupt("reserved byte 0xc1", pos - 1);
            case 0xc2:
                return Boolean.FALSE;
            case 0xc3:
                return Boolean.TRUE;
            case 0xc4:
                return readBinary(readLength(1));
            case 0xc5:
                return readBinary(readLength(2));
            case 0xc6:
                return readBinary(readLength(4));
            case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
                throw corrupt("ext types are not used by Locust", pos - 1);
            case 0xca: {
                need(4);
                float f = Float.intBitsToFloat((int) readU32(pos));
                pos += 4;
                return f;
            }
            case 0xcb: {
                need(8);
                double d = Double.longBitsToDouble(readS64(pos));
                pos += 8;
                return d;
            }
            case 0xcc:
                return readLength(1);
            case 0xcd:
                return readLength(2);
            case 0xce:
                return readLength(4);
            case 0xcf: {
                need(8);
                long v = readS64(pos);
                pos += 8;
                if (v < 0) {
                    // uint64 above Long.MAX_VALUE keeps its exact value.
                    return new BigInteger(1, new byte[] {
                        (byte) (v >>> 56), (byte) (v >>> 48), (byte) (v >>> 40), (byte) (v >>> 32),
                        (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
                }
                return v;
            }
            case 0xd0: {
                need(1);
                return (long) buf[pos++];
            }
            case 0xd1: {
                need(2);
                long v = (short) (((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff));
                pos += 2;
                return v;
            }
            case 0xd2: {
                need(4);
                long v = (int) readU32(pos);
                pos += 4;
                return v;
            }
            case 0xd3: {
                need(8);
                long v = readS64(pos);
                pos += 8;
                return v;
            }
            case 0xd9:
                return readString(readLength(1));
            case 0xda:
                return readString(readLength(2));
            case 0xdb:
                return readString(readLength(4));
            case 0xdc:
                return readArray(readLength(2), depth);
            case 0xdd:
                return readArray(readLength(4), depth);
            case 0xde:
                return readMap(readLength(2), depth);
            case 0xdf:
                return readMap(readLength(4), depth);
            default:
                throw corrupt("unexpected byte 0x" + Integer.toHexString(b), pos - 1);
        }
    }

    private List<Object> readArray(long n, int depth) throws CorruptMessageException {
        if (depth >= MAX_DEPTH) {
            throw corrupt("containers nested deeper than " + MAX_DEPTH);
        }
        // Each element takes at least one byte, so a count beyond the remaining bytes is a lie.
        if (n > remaining()) {
            throw corrupt("array declares " + n + " elements but only " + remaining() + " bytes remain");
        }
        List<Object> list = new ArrayList<>((int) Math.min(n, MAX_PRESIZE));
        for (long i = 0; i < n; i++) {
            list.add(read(depth + 1));
        }
        return list;
    }

    private Map<Object, Object> readMap(long n, int depth) throws CorruptMessageException {
        if (depth >= MAX_DEPTH) {
            throw corrupt("containers nested deeper than " + MAX_DEPTH);
        }
        if (n * 2 > remaining()) {
            throw corrupt("map declares " + n + " entries but only " + remaining() + " bytes remain");
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            int keyAt = pos;
            Object key = read(depth + 1);
            if (key instanceof List || key instanceof Map) {
                throw corrupt("map key is a container", keyAt);
            }
            // Duplicate keys keep the first position and the last value, as a Python dict does.
            map.put(key, read(depth + 1));
        }
        return map;
    }

    private String readString(long n) throws CorruptMessageException {
        if (n > remaining()) {
            throw corrupt("string of " + n + " bytes but only " + remaining() + " remain");
        }
        int len = (int) n;
        int start = pos;
        boolean ascii = true;
        for (int i = start; i < start + len; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            s = new String(buf, start, len, StandardCharsets.US_ASCII);
        } else {
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(buf, start, len));
                s = chars.toString();
            } catch (CharacterCodingException e) {
                throw corrupt("invalid UTF-8 in string", start);
            }
        }
        pos += len;
        return s;
    }

    private byte[] readBinary(long n) throws CorruptMessageException {
        if (n > remaining()) {
            throw corrupt("binary of " + n + " bytes but only " + remaining() + " remain");
        }
        byte[] b = new byte[(int) n];
        System.arraycopy(buf, pos, b, 0, b.length);
        pos += b.length;
        return b;
    }

    /** Reads an unsigned big-endian integer of the given width, which always fits a long. */
    private long readLength(int width) throws CorruptMessageException {
        need(width);
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    private long readU32(int at) {
        return ((long) (buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16)
                | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
    }

    private long readS64(int at) {
        return (readU32(at) << 32) | readU32(at + 4);
    }

    private void need(int n) throws CorruptMessageException {
        if (end - pos < n) {
            throw corrupt("truncated: " + n + " bytes needed, " + (end - pos) + " remain");
        }
    }

    private CorruptMessageException corrupt(String reason) {
        return corrupt(reason, pos);
    }

    private static CorruptMessageException corrupt(String reason, int at) {
        return new CorruptMessageException(reason + " (at byte " + at + ")");
    }
}
