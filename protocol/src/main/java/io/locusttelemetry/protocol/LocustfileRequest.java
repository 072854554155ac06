package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Worker to master (latest Locust, {@code -f -}): a worker asks for the master's locustfile from
 * a temporary identity {@code <hostname>_download_locustfile_<hex>}, once a second until answered.
 *
 * @param version the worker's Locust version, or null if absent
 */
public record LocustfileRequest(String version) implements LocustfileMessage {

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static LocustfileRequest fromMessage(Message m) {
        Values.requireType(m, MessageTypes.LOCUSTFILE);
        return new LocustfileRequest(Values.string(Values.map(m.data()), "version", null));
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", version);
        return new Message(type(), data, nodeId);
    }
}
