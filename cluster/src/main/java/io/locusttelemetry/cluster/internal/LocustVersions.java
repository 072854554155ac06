package io.locusttelemetry.cluster.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a worker understands, from the version it sent in {@code client_ready}. */
final class LocustVersions {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private LocustVersions() {}

    /** Locust 2.19 and later (and non-Python workers, which send -1) expect heartbeat replies. */
    static boolean understandsHeartbeatReplies(Object version) {
        return isAtLeast(version, 2, 19);
    }

    /** Locust 2.29 and later fire their spawning_complete event on the master's broadcast. */
    static boolean understandsSpawningCompleteBroadcast(Object version) {
        return isAtLeast(version, 2, 29) && !(version instanceof Number);
    }

    /** Workers that are not Python Locust (jlocust's send -1 as their version) may run an open model; Python Locust has none. */
    static boolean runsOpenModel(Object version) {
        return version instanceof Number n && n.doubleValue() == -1.0;
    }

    private static boolean isAtLeast(Object version, int major, int minor) {
        if (version instanceof Number n) {
            return n.doubleValue() == -1.0;
        }
        if (!(version instanceof String s)) {
            return false;
        }
        Matcher m = VERSION.matcher(s);
        if (!m.find()) {
            return false;
        }
        try {
            int ma = Integer.parseInt(m.group(1));
            int mi = Integer.parseInt(m.group(2));
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
