package io.locusttelemetry.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A ZeroMQ routing identity as the master's ROUTER socket sees it. Workers use their node id
 * (UTF-8) as identity, but the bytes are whatever the peer chose, so they are kept exactly; a
 * reply to a sender whose identity is not valid UTF-8 must still reach it.
 */
public final class Identity {

    private final byte[] bytes;
    private final String text;

    private Identity(byte[] bytes) {
        this.bytes = bytes;
        String t;
        try {
            t = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            t = null;
        }
        this.text = t;
    }

    /** The identity of a peer using {@code nodeId} (its UTF-8 bytes). */
    public static Identity of(String nodeId) {
        return new Identity(Objects.requireNonNull(nodeId, "nodeId").getBytes(StandardCharsets.UTF_8));
    }

    /** An identity from raw bytes (copied). */
    public static Identity of(byte[] bytes) {
        return new Identity(Objects.requireNonNull(bytes, "bytes").clone());
    }

    static Identity wrap(byte[] bytes) {
        return new Identity(bytes);
    }

    /** A copy of the raw identity bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    /** The identity as text, or null if it is not valid UTF-8 (Python peers treat that as corrupt). */
    public String text() {
        return text;
    }

    /** Whether {@link #text()} is available. */
    public boolean isText() {
        return text != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The text, or {@code 0x<hex>} for identities that are not UTF-8. */
    @Override
    public String toString() {
        return text != null ? text : "0x" + HexFormat.of().formatHex(bytes);
    }
}
