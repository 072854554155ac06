package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Worker to master: the worker announces itself. The data is the worker's Locust version string,
 * or the integer -1 that non-Python workers send. Any other value can arrive from odd peers and
 * is kept as decoded.
 *
 * @param version a {@link String}, {@link Long} -1, or whatever a peer sent (may be null)
 */
public record ClientReady(Object version) implements LocustMessage {

    /** The integer non-Python workers send instead of a version. */
    public static final long FOREIGN_VERSION = -1L;

    /** A ready message with a version string, e.g. {@code "2.12.1"} to avoid version warnings. */
    public static ClientReady of(String version) {
        return new ClientReady(Objects.requireNonNull(version, "version"));
    }

    /** A ready message carrying -1, meaning "not a Python Locust". */
    public static ClientReady foreign() {
        return new ClientReady(FOREIGN_VERSION);
    }

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static ClientReady fromMessage(Message m) {
        Values.requireType(m, MessageTypes.CLIENT_READY);
        return new ClientReady(m.data());
    }

    /** True if the data is the -1 marker (Python compares with ==, so -1.0 also counts). */
    public boolean isForeign() {
        return version instanceof Number n && !(version instanceof Boolean) && n.doubleValue() == -1.0;
    }

    /** The version text, or null if the data is not a string. */
    public String versionString() {
        return version instanceof String s ? s : null;
    }

    /**
     * Python truthiness of the data. Python masters ignore a falsy client_ready as coming from a
     * pre-2.0 worker; Debian's 2.12.1 build sends {@code ""}, which a tolerant master may accept.
     */
    public boolean isFalsy() {
        if (version == null) {
            return true;
        }
        if (version instanceof Boolean b) {
            return !b;
        }
        if (version instanceof Number n) {
            return n.doubleValue() == 0.0;
        }
        if (version instanceof String s) {
            return s.isEmpty();
        }
        if (version instanceof byte[] b) {
            return b.length == 0;
        }
        if (version instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (version instanceof Map<?, ?> mm) {
            return mm.isEmpty();
        }
        return false;
    }

    @Override
    public String type() {
        return MessageTypes.CLIENT_READY;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), version, nodeId);
    }
}
