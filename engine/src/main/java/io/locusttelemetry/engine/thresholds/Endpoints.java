package io.locusttelemetry.engine.thresholds;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds an entry of a snapshot by the name the stats table shows: {@code "GET /cart"} (method and
 * name), {@code "/cart"} (the name, when one method uses it) or {@code "Aggregated"} (the total).
 */
public final class Endpoints {

    /**
     * The entry found, or why none was.
     *
     * @param entry   the entry, or null
     * @param problem null when found, else one line: {@code no requests named 'GET /cart'}
     */
    public record Match(EntrySnapshot entry, String problem) {}

    private Endpoints() {}

    /** The entry {@code endpoint} names in {@code stats}; null (or "Aggregated") for the total. */
    public static Match find(StatsSnapshot stats, String endpoint) {
        if (endpoint == null || endpoint.equals(stats.total().name())) {
            return new Match(stats.total(), null);
        }
        List<EntrySnapshot> byName = new ArrayList<>();
        for (EntrySnapshot e : stats.entries()) {
            String method = e.method() == null ? "" : e.method();
            if ((method + " " + e.name()).equals(endpoint)) {
                return new Match(e, null);
            }
            if (e.name().equals(endpoint)) {
                byName.add(e);
            }
        }
        if (byName.size() == 1) {
            return new Match(byName.get(0), null);
        }
        if (byName.isEmpty()) {
            return new Match(null, "no requests named '" + endpoint + "'");
        }
        List<String> methods = byName.stream().map(e -> e.method() + " " + e.name()).sorted().toList();
        return new Match(null, "'" + endpoint + "' is " + String.join(" and ", methods) + ": name the method too");
    }
}
