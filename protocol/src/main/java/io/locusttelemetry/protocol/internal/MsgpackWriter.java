package io.locusttelemetry.protocol.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Serialises generic values with the same byte choices as msgpack-python's {@code packb} with
 * default options, so frames are indistinguishable from those of a Python peer.
 */
public final class MsgpackWriter {


    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private byte[] buf;
    private int len;

    public MsgpackWriter() {
        this(64);
    }

    public MsgpackWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Writes any supported value; throws IllegalArgumentException for anything else. */
    public MsgpackWriter writeValue(Object value) {
        return writeValue(value, 0);
    }

    /**
     * Writes a value that sits inside {@code enclosing} containers. Containers nested deeper than
     * {@link MsgpackReader#MAX_DEPTH} in all are refused, as a reader would refuse them; this also
     * stops a self-referencing container.
     */
    public MsgpackWriter writeValue(Object value, int enclosing) {
        write(value, enclosing);
        return this;
    }

    private void write(Object v, int depth) {
        if ((v instanceof Map<?, ?> || v instanceof Collection<?> || v instanceof Object[]) && depth >= MsgpackReader.MAX_DEPTH) {
            throw new IllegalArgumentException("containers nested deeper than " + MsgpackReader.MAX_DEPTH
                    + " levels (the limit of Locust frames jlocust accepts; cyclic?)");
        }
        if (v == null) {
            writeNil();
        } else if (v instanceof String s) {
            writeString(s);
        } else if (v instanceof Long l) {
            writeLong(l);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            writeLong(((Number) v).longValue());
        } else if (v instanceof Double d) {
            writeDouble(d);
        } else if (v instanceof Float f) {
            writeFloat(f);
        } else if (v instanceof Boolean b) {
            writeBoolean(b);
        } else if (v instanceof Map<?, ?> m) {
            writeMapHeader(m.size());
            int written = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                write(e.getKey(), depth + 1);
                write(e.getValue(), depth + 1);
                written++;
            }
            checkCount(written, m.size());
        } else if (v instanceof Collection<?> c) {
            writeArrayHeader(c.size());
            int written = 0;
            for (Object o : c) {
                write(o, depth + 1);
                written++;
            }
            checkCount(written, c.size());
        } else if (v instanceof Object[] a) {
            writeArrayHeader(a.length);
            for (Object o : a) {
                write(o, depth + 1);
            }
        } else if (v instanceof byte[] b) {
            writeBinary(b);
        } else if (v instanceof BigInteger bi) {
            writeBigInteger(bi);
        } else if (v instanceof CharSequence cs) {
            writeString(cs.toString());
        } else if (v instanceof LocalDateTime t) {
            write(PythonDateTime.toWire(t), depth);
        } else if (v instanceof Instant t) {
            write(PythonDateTime.toWire(LocalDateTime.ofInstant(t, ZoneOffset.UTC)), depth);
        } else if (v instanceof OffsetDateTime t) {
            write(PythonDateTime.toWire(t.toLocalDateTime()), depth);
        } else if (v instanceof ZonedDateTime t) {
            write(PythonDateTime.toWire(t.toLocalDateTime()), depth);
        } else {
            throw new IllegalArgumentException("cannot encode a value of type " + v.getClass().getName());
        }
    }

    private static void checkCount(int written, int declared) {
        // A concurrently modified container would produce a header that disagrees with its body.
        if (written != declared) {
            throw new IllegalArgumentException("container changed size while being encoded");
        }
    }

    public void writeNil() {
        put(0xc0);
    }

    public void writeBoolean(boolean b) {
        put(b ? 0xc3 : 0xc2);
    }

    public void writeLong(long v) {
        if (v >= 0) {
            if (v < 0x80) {
                put((int) v);
            } else if (v < 0x100) {
                put(0xcc);
                put((int) v);
            } else if (v < 0x10000) {
                put(0xcd);
                put16((int) v);
            } else if (v < 0x1_0000_0000L) {
                put(0xce);
                put32((int) v);
            } else {
                put(0xcf);
                put64(v);
            }
        } else if (v >= -32) {
            put((int) v & 0xff);
        } else if (v >= Byte.MIN_VALUE) {
            put(0xd0);
            put((int) v & 0xff);
        } else if (v >= Short.MIN_VALUE) {
            put(0xd1);
            put16((int) v);
        } else if (v >= Integer.MIN_VALUE) {
            put(0xd2);
            put32((int) v);
        } else {
            put(0xd3);
            put64(v);
        }
    }

    private void writeBigInteger(BigInteger v) {
        if (v.bitLength() < 64) {
            writeLong(v.longValue());
        } else if (v.signum() > 0 && v.compareTo(UINT64_MAX) <= 0) {
            put(0xcf);
            put64(v.longValue());
        } else {
            throw new IllegalArgumentException("integer out of msgpack range: " + v);
        }
    }

    public void writeDouble(double d) {
        put(0xcb);
        put64(Double.doubleToRawLongBits(d));
    }

    public void writeFloat(float f) {
        put(0xca);
        put32(Float.floatToRawIntBits(f));
    }

    public void writeString(String s) {
        // Unpaired surrogates cannot be UTF-8 encoded; the JDK substitutes '?' for them.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        if (n < 32) {
            put(0xa0 | n);
        } else if (n < 0x100) {
            put(0xd9);
            put(n);
        } else if (n < 0x10000) {
            put(0xda);
            put16(n);
        } else {
            put(0xdb);
            put32(n);
        }
        putBytes(utf8);
    }

    public void writeBinary(byte[] b) {
        int n = b.length;
        if (n < 0x100) {
            put(0xc4);
            put(n);
        } else if (n < 0x10000) {
            put(0xc5);
            put16(n);
        } else {
            put(0xc6);
            put32(n);
        }
        putBytes(b);
    }

    public void writeArrayHeader(int n) {
        if (n < 16) {
            put(0x90 | n);
        } else if (n < 0x10000) {
            put(0xdc);
            put16(n);
        } else {
            put(0xdd);
            put32(n);
        }
    }

    public void writeMapHeader(int n) {
        if (n < 16) {
            put(0x80 | n);
        } else if (n < 0x10000) {
            put(0xde);
            put16(n);
        } else {
            put(0xdf);
            put32(n);
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) len + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("encoded message too large");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void put16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void put32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void put64(long v) {
        put32((int) (v >>> 32));
        put32((int) v);
    }

    private void putBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }
}
