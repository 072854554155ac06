package io.locusttelemetry.engine.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that is reused from request to request by its one owner. */
public final class ByteSink {
    private static final byte[] NONE = new byte[0];

    private final int capacity;
    private byte[] data;
    private int length;

    public ByteSink(int capacity) {
        this(capacity, false);
    }

    /** @param lazy allocate on first {@link #reset()} rather than now */
    public ByteSink(int capacity, boolean lazy) {
        this.capacity = capacity;
        this.data = lazy ? NONE : new byte[capacity];
    }

    public void reset() {
        length = 0;
        if (data.length == 0) {
            data = new byte[capacity];
        }
    }

    /** Drops the array; the next {@link #reset()} allocates a new one. */
    public void release() {
        data = NONE;
        length = 0;
    }

    /** Drops the array if it grew past {@code bytes}, so that one large response is not kept. */
    public void releaseIfLarger(int bytes) {
        if (data.length > bytes) {
            release();
        }
    }

    public int length() {
        return length;
    }

    public byte[] array() {
        return data;
    }

    void truncate(int newLength) {
        length = newLength;
    }

    private void ensure(int extra) {
        if (length + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + extra));
        }
    }

    public void write(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, data, length, len);
        length += len;
    }

    public void writeByte(int b) {
        ensure(1);
        data[length++] = (byte) b;
    }

    /** Writes text as ISO-8859-1 (header-safe); non-Latin-1 characters are written as UTF-8. */
    public void writeAscii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                data[length++] = (byte) c;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                write(utf8, 0, utf8.length);
                ensure(n - i);
            }
        }
    }

    /** Grows the content by {@code n} bytes and returns where they start, for the caller to fill. */
    public int extend(int n) {
        ensure(n);
        int at = length;
        length += n;
        return at;
    }

    public void writeInt(long v) {
        writeAscii(Long.toString(v));
    }

    public void crlf() {
        ensure(2);
        data[length++] = '\r';
        data[length++] = '\n';
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    /** Text of bytes [from, to) as ISO-8859-1. */
    public String latin1(int from, int to) {
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
