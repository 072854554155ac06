package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The master's {@code parsed_options} as a worker applies them from each {@code spawn}, as Locust's
 * worker does: it takes the options its own parser does not define, plus those Locust always passes
 * on ({@code tags}, {@code exclude_tags}, {@code expect_workers}), and the tags select its tasks.
 */
public final class MasterOptions {
    private MasterOptions() {}

    /** Applies {@code fromMaster} to the worker's environment (called on the worker's control thread). */
    public static void apply(Environment environment, Map<String, Object> fromMaster) {
        ParsedOptions own = environment.parsedOptions();
        ParsedOptions merged = own;
        for (Map.Entry<String, Object> e : fromMaster.entrySet()) {
            String k = e.getKey();
            boolean passOn = k.equals("tags") || k.equals("exclude_tags") || k.equals("expect_workers");
            if (passOn || !own.asMap().containsKey(k)) {
                merged = merged.with(k, e.getValue());
            }
        }
        if (merged != own) {
            environment.parsedOptions(merged);
        }
        if (fromMaster.containsKey("tags") || fromMaster.containsKey("exclude_tags")) {
            Set<String> tags = tagSet(fromMaster.get("tags"));
            Set<String> exclude = tagSet(fromMaster.get("exclude_tags"));
            if (fromMaster.containsKey("tags") && fromMaster.containsKey("exclude_tags")) {
                environment.tags(tags, exclude);
            } else if (fromMaster.containsKey("tags")) {
                environment.tags(tags, environment.excludeTags());
            } else {
                environment.tags(environment.tags(), exclude);
            }
        }
    }

    /** A list or a comma-separated string of tags; null (no selection) when empty. */
    static Set<String> tagSet(Object value) {
        if (value instanceof List<?> list && !list.isEmpty()) {
            Set<String> out = new HashSet<>();
            list.forEach(t -> out.add(String.valueOf(t)));
            return out;
        }
        if (value instanceof String s && !s.isBlank()) {
            Set<String> out = new HashSet<>();
            for (String t : s.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim());
                }
            }
            return out;
        }
        return null;
    }
}
