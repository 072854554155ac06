package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code spawning_complete} in either direction. From a worker (after applying each spawn) it
 * carries {@code {user_classes_count, user_count}}, and masters require the class counts. Latest
 * masters (2.29 and later) also send it to every worker once the ramp-up is over, with only
 * {@code {user_count}} (the total over all workers); then {@link #userClassesCount()} is null.
 *
 * @param userClassesCount running users per class; null in the master's broadcast form
 * @param userCount        the worker's users, or the cluster total in the broadcast form
 */
public record SpawningComplete(Map<String, Long> userClassesCount, long userCount) implements LocustMessage {

    /** Copies the class counts (null stays null: the broadcast form). */
    public SpawningComplete {
        userClassesCount = Values.frozen(userClassesCount);
    }

    /** The worker form; the user count is the sum of the class counts. */
    public static SpawningComplete ofWorker(Map<String, Long> userClassesCount) {
        return new SpawningComplete(Objects.requireNonNull(userClassesCount, "userClassesCount"),
                Values.sum(userClassesCount));
    }

    /** The master's broadcast form. */
    public static SpawningComplete broadcast(long totalUserCount) {
        return new SpawningComplete(null, totalUserCount);
    }

    /** Lenient decode; a missing user_count is the sum of the class counts (or 0). */
    public static SpawningComplete fromMessage(Message m) {
        Values.requireType(m, MessageTypes.SPAWNING_COMPLETE);
        Map<?, ?> d = Values.map(m.data());
        Map<String, Long> counts = d.get("user_classes_count") instanceof Map<?, ?> c ? Values.stringCounts(c) : null;
        long total = Values.longValue(d, "user_count", counts == null ? 0 : Values.sum(counts));
        return new SpawningComplete(counts, total);
    }

    @Override
    public String type() {
        return MessageTypes.SPAWNING_COMPLETE;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (userClassesCount != null) {
            data.put("user_classes_count", userClassesCount);
        }
        data.put("user_count", userCount);
        return new Message(type(), data, nodeId);
    }
}
