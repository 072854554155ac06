package io.locusttelemetry.engine.http.internal;

import java.nio.ByteBuffer;

/** What the client knows of TLS records' framing, to ask the engine to decrypt only whole ones. */
final class TlsRecords {
    /** The most plaintext one TLS record holds. */
    static final int MAX_PLAINTEXT = 1 << 14;
    /** The longest record body a TLS 1.2 or 1.3 peer may send (RFC 8446 5.2: 2^14 + 256; RFC 5246: 2^14 + 2048). */
    static final int MAX_RECORD_BODY = MAX_PLAINTEXT + 2048;
    static final int HEADER = 5;

    private TlsRecords() {}

    /**
     * Whether {@code in} (read mode) holds a whole TLS record from its position, or bytes that are no
     * record header at all (the engine's to refuse): until then, decrypting could only say "underflow".
     */
    static boolean complete(ByteBuffer in) {
        int have = in.remaining();
        if (have < HEADER) {
            return false;
        }
        int p = in.position();
        int type = in.get(p) & 0xff;
        if (type < 20 || type > 24) {
            return true;
        }
        int length = (in.get(p + 3) & 0xff) << 8 | in.get(p + 4) & 0xff;
        return length > MAX_RECORD_BODY || have - HEADER >= length;
    }
}
