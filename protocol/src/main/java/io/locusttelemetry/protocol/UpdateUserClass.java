package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Master to worker (latest Locust, 2.25 and later): attribute changes for one user class, from
 * the web UI's user class editor. An optional {@code tasks} attribute lists the task function
 * names to keep.
 *
 * @param userClassName the class to change
 * @param attributes    attribute name to new value (generic decoded values), in arrival order
 */
public record UpdateUserClass(String userClassName, Map<String, Object> attributes) implements LocustMessage {

    public UpdateUserClass {
        attributes = Values.frozen(attributes == null ? Map.of() : attributes);
    }

    public static UpdateUserClass fromMessage(Message m) {
        Values.requireType(m, MessageTypes.UPDATE_USER_CLASS);
        Map<String, Object> all = Values.stringKeyed(m.data());
        Object name = all.remove("user_class_name");
        return new UpdateUserClass(name instanceof String s ? s : null, all);
    }

    @Override
    public String type() {
        return MessageTypes.UPDATE_USER_CLASS;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_class_name", userClassName);
        attributes.forEach((k, v) -> {
            if (!"user_class_name".equals(k)) {
                data.put(k, v);
            }
        });
        return new Message(type(), data, nodeId);
    }
}
