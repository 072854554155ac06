package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Worker to master (latest Locust, 2.29 and later): the worker's whole retained log buffer, not a
 * delta. 2.12.1 masters log it as an unknown type.
 *
 * @param workerId the worker's node id
 * @param logs     formatted log records, one element each (tracebacks embedded with newlines)
 */
public record Logs(String workerId, List<String> logs) implements LocustMessage {

    /** Copies the list; null becomes empty. */
    public Logs {
        logs = Values.frozen(logs == null ? List.of() : logs);
    }

    /** Lenient decode: non-string lines are converted with their text form, nil lines dropped. */
    public static Logs fromMessage(Message m) {
        Values.requireType(m, MessageTypes.LOGS);
        Map<?, ?> d = Values.map(m.data());
        List<String> lines = new ArrayList<>();
        for (Object o : Values.list(d.get("logs"))) {
            if (o != null) {
                lines.add(o instanceof String s ? s : String.valueOf(o));
            }
        }
        return new Logs(Values.string(d, "worker_id", m.nodeId()), lines);
    }

    @Override
    public String type() {
        return MessageTypes.LOGS;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("worker_id", workerId);
        data.put("logs", logs);
        return new Message(type(), data, nodeId);
    }
}
