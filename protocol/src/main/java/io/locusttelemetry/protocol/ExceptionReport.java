package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Worker to master ({@code exception}): a user task raised an unhandled exception. Masters group
 * reports by traceback text. Both keys are required by Python masters; missing ones decode as "".
 *
 * @param msg       the exception text
 * @param traceback the formatted stack, multi-line
 */
public record ExceptionReport(String msg, String traceback) implements LocustMessage {

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static ExceptionReport fromMessage(Message m) {
        Values.requireType(m, MessageTypes.EXCEPTION);
        Map<?, ?> d = Values.map(m.data());
        return new ExceptionReport(Values.string(d, "msg", ""), Values.string(d, "traceback", ""));
    }

    @Override
    public String type() {
        return MessageTypes.EXCEPTION;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msg", msg);
        data.put("traceback", traceback);
        return new Message(type(), data, nodeId);
    }
}
