package io.locusttelemetry.protocol.internal;

import io.locusttelemetry.protocol.CorruptMessageException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded msgpack decoder for untrusted frames.
 *
 * <p>Nothing a peer declares is trusted: every length is checked against the bytes actually left
 * before anything is allocated (an array element or a map key takes at least one byte, so a count
 * beyond them is a lie), container pre-sizing is capped, and a frame yields at most
 * {@link #MAX_ELEMENTS} values, so memory stays proportional to the frame whatever the headers
 * claim. Decoding is iterative, with an explicit stack of open containers: its stack use does not
 * grow with the nesting, whatever the JIT does with frame sizes, and nesting deeper than
 * {@link #MAX_DEPTH} is refused (Locust's own messages nest four containers deep). Ext types, the
 * reserved byte 0xc1, invalid UTF-8 and container map keys are refused. All failures surface as
 * {@link CorruptMessageException}.
 *
 * <p>Longer than 400 lines on purpose: one cursor over one untrusted buffer, whose every read checks
 * the bytes left against that same cursor; split across classes, those checks would have two homes.
 */
public final class MsgpackReader {

    /**
     * Deepest container nesting accepted, the message envelope included. Locust's messages need
     * fewer than 10 levels (a stats report: envelope, data, stats list, entry, histogram).
     */
    public static final int MAX_DEPTH = 64;

    /**
     * Most values one frame may hold (every scalar and container counts one). A busy worker's
     * 3-second report of a thousand request names holds about 150,000.
     */
    public static final int MAX_ELEMENTS = 1_000_000;

    private static final int MAX_PRESIZE = 64;
    /**
     * Maps are sized for what they declare up to this many entries (a report's histogram holds
     * about a hundred): with at most {@link #MAX_DEPTH} containers open at a time, a frame whose
     * headers lie cannot make the decoder reserve more than a few hundred KB beyond its values.
     */
    private static final int MAX_MAP_PRESIZE = 1024;

    /** A container being filled. */
    private static final class Open {
        final boolean isMap;
        final List<Object> list;
        /** A map while all its keys and values so far were integers; null once one was not. */
        LongCounts counts;
        Map<Object, Object> map;
        long left;
        Object key;
        long countKey;
        boolean haveKey;

        Open(boolean isMap, long n) {
            this.isMap = isMap;
            this.list = isMap ? null : new ArrayList<>((int) Math.min(n, MAX_PRESIZE));
            this.counts = isMap ? new LongCounts((int) Math.min(n, MAX_MAP_PRESIZE)) : null;
            this.left = n;
        }

        /** Takes an integer into a map that holds only integers. */
        void putCount(long v) {
            if (!haveKey) {
                countKey = v;
                haveKey = true;
            } else {
                counts.put(countKey, v);
                haveKey = false;
            }
        }

        /** The map becomes a generic one: a value that is not an integer arrived. */
        void generic() {
            map = counts.toGeneric();
            if (haveKey) {
                key = countKey;
            }
            counts = null;
        }

        Object value() {
            return counts != null ? counts : map != null ? map : list;
        }
    }

    /** What {@link #place} returns while the outermost value is not complete. */
    private static final Object MORE = new Object();

    private final byte[] buf;
    private final int end;
    private int pos;
    private int elements;
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

    /** Consumes an array header, returning its declared length; the array counts as one value. */
    public long readArrayHeader() throws CorruptMessageException {
        long n = peekArrayLength();
        if (n < 0) {
            throw corrupt("expected an array");
        }
        int b = buf[pos] & 0xff;
        pos += b == 0xdc ? 3 : b == 0xdd ? 5 : 1;
        count();
        if (n > remaining()) {
            throw corrupt("array declares " + n + " elements but only " + remaining() + " bytes remain");
        }
        return n;
    }

    /** Reads one value at the top level. */
    public Object readValue() throws CorruptMessageException {
        return readValue(0);
    }

    /** Reads one value that sits inside {@code enclosing} containers (for example 1 inside an envelope read with {@link #readArrayHeader}). */
    public Object readValue(int enclosing) throws CorruptMessageException {
        ArrayDeque<Open> open = null;
        while (true) {
            if (pos >= end) {
                throw corrupt("truncated: value expected");
            }
            Open top = open == null ? null : open.peek();
            if (top != null && top.counts != null && readCount(top)) {
                // an integer in a map of integers: no boxing; a pair completed may close the map
                if (top.haveKey || --top.left > 0) {
                    continue;
                }
                open.pop();
                Object done = top.value();
                Object closed = place(open, done);
                if (closed != MORE) {
                    return closed;
                }
                continue;
            }
            int at = pos;
            int b = buf[pos++] & 0xff;
            count();
            Object value;
            long n;
            boolean isMap;
            if (b <= 0x7f) {
                value = (long) b;
                n = -1;
                isMap = false;
            } else if (b >= 0xe0) {
                value = (long) (byte) b;
                n = -1;
                isMap = false;
            } else if (b <= 0x8f || b == 0xde || b == 0xdf) {
                n = b <= 0x8f ? b & 0x0f : readLength(b == 0xde ? 2 : 4);
                isMap = true;
                value = null;
            } else if (b <= 0x9f || b == 0xdc || b == 0xdd) {
                n = b <= 0x9f ? b & 0x0f : readLength(b == 0xdc ? 2 : 4);
                isMap = false;
                value = null;
            } else {
                value = readScalar(b);
                n = -1;
                isMap = false;
            }
            if (n >= 0) {
                Open parent = open == null ? null : open.peek();
                if (parent != null && parent.isMap && !parent.haveKey) {
                    throw corrupt("map key is a container", at);
                }
                int depth = enclosing + (open == null ? 0 : open.size()) + 1;
                if (depth > MAX_DEPTH) {
                    throw corrupt("containers nested deeper than " + MAX_DEPTH, at);
                }
                long minBytes = isMap ? n * 2 : n;
                if (minBytes > remaining()) {
                    throw corrupt((isMap ? "map declares " + n + " entries" : "array declares " + n + " elements")
                            + " but only " + remaining() + " bytes remain", at);
                }
                if (n > 0) {
                    if (open == null) {
                        open = new ArrayDeque<>();
                    }
                    open.push(new Open(isMap, n));
                    continue;
                }
                value = isMap ? new LinkedHashMap<>() : new ArrayList<>(0);
            }
            Object closed = place(open, value);
            if (closed != MORE) {
                return closed;
            }
        }
    }

    /**
     * Puts a complete value into its container and closes the containers it completes: the
     * outermost value once it is complete, else {@link #MORE}.
     */
    private static Object place(ArrayDeque<Open> open, Object value) {
        while (true) {
            Open o = open == null ? null : open.peek();
            if (o == null) {
                return value;
            }
            if (o.isMap) {
                if (o.counts != null) {
                    o.generic();
                }
                if (!o.haveKey) {
                    o.key = value;
                    o.haveKey = true;
                    return MORE;
                }
                // Duplicate keys keep the first position and the last value, as a Python dict does.
                o.map.put(o.key, value);
                o.key = null;
                o.haveKey = false;
            } else {
                o.list.add(value);
            }
            if (--o.left > 0) {
                return MORE;
            }
            open.pop();
            value = o.value();
        }
    }

    /**
     * Reads the next value into {@code o}'s map of integers if it is an integer that fits a long
     * (true), else leaves it unread (false).
     */
    private boolean readCount(Open o) throws CorruptMessageException {
        if (pos >= end) {
            return false;
        }
        int b = buf[pos] & 0xff;
        long v;
        int width;
        if (b <= 0x7f) {
            v = b;
            width = 1;
        } else if (b >= 0xe0) {
            v = (byte) b;
            width = 1;
        } else if (b == 0xcc || b == 0xd0) {
            if (end - pos < 2) {
                return false;
            }
            v = b == 0xcc ? buf[pos + 1] & 0xff : buf[pos + 1];
            width = 2;
        } else if (b == 0xcd || b == 0xd1) {
            if (end - pos < 3) {
                return false;
            }
            int u = ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
            v = b == 0xcd ? u : (short) u;
            width = 3;
        } else if (b == 0xce || b == 0xd2) {
            if (end - pos < 5) {
                return false;
            }
            long u = readU32(pos + 1);
            v = b == 0xce ? u : (int) u;
            width = 5;
        } else if (b == 0xcf || b == 0xd3) {
            if (end - pos < 9) {
                return false;
            }
            v = readS64(pos + 1);
            if (b == 0xcf && v < 0) {
                return false; // above Long.MAX_VALUE: a BigInteger, read generically
            }
            width = 9;
        } else {
            return false;
        }
        pos++;
        count();
        pos += width - 1;
        o.putCount(v);
        return true;
    }

    private Object readScalar(int b) throws CorruptMessageException {
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
            default:
                throw corrupt("unexpected byte 0x" + Integer.toHexString(b), pos - 1);
        }
    }

    private void count() throws CorruptMessageException {
        if (++elements > MAX_ELEMENTS) {
            throw corrupt("more than " + MAX_ELEMENTS + " values in one frame");
        }
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
