package io.locusttelemetry.protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Worker node ids in the Python convention {@code <hostname>_<uuid4 as 32 lowercase hex>}. The
 * same string is the worker's ZeroMQ identity and the {@code node_id} of everything it sends, so
 * it must be non-empty valid UTF-8 of at most 255 bytes that does not start with a zero byte.
 */
public final class NodeId {

    /** ZeroMQ's identity size limit. */
    public static final int MAX_BYTES = 255;

    private static final int SUFFIX_BYTES = 33;

    private NodeId() {
    }

    /** A fresh id for this host. */
    public static String generate() {
        return generate(localHostname());
    }

    /** A fresh id with the given host part, sanitised (control characters removed, length capped). */
    public static String generate(String hostname) {
        return sanitiseHost(hostname) + "_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** True if the id can serve as a routing identity and node_id. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.charAt(0) == '\0') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return id.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    static String sanitiseHost(String hostname) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        String h = hostname == null ? "" : hostname.strip();
        for (int i = 0; i < h.length(); ) {
            int cp = h.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || Character.isWhitespace(cp) || (cp >= 0xd800 && cp <= 0xdfff)) {
                continue;
            }
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_BYTES - SUFFIX_BYTES) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
        }
        return sb.isEmpty() ? "localhost" : sb.toString();
    }

    /**
     * Python uses the kernel host name, not a DNS lookup; read it the same way where possible,
     * because resolving the local address can stall for seconds on misconfigured hosts.
     */
    static String localHostname() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String h = Files.readString(kernel).strip();
                if (!h.isEmpty()) {
                    return h;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the portable sources
        }
        for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String h = System.getenv(var);
            if (h != null && !h.isBlank()) {
                return h;
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
