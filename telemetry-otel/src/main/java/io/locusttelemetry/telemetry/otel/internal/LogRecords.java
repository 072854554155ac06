package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.telemetry.TelemetryLevel;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.context.Context;
import java.lang.reflect.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A telemetry record as an OTLP log record: body = the record's {@code message}, attributes = its
 * {@code telemetry} fields under the JSON lines' keys, event name = {@code telemetry_name}, severity
 * from the level, timestamp = the record's time, the scope = its {@code name}
 * ({@code locust_telemetry.json}), and the current trace context if there is one. A field that is
 * null (or NaN) is left out, as OTLP attributes cannot be null; a nested map becomes dotted keys
 * ({@code a.b}), a list an array of strings.
 */
final class LogRecords {
    private LogRecords() {}

    static void emit(Logger logger, TelemetryRecord r) {
        logger.logRecordBuilder()
                .setTimestamp(r.time())
                .setContext(Context.current())
                .setSeverity(severity(r.level()))
                .setSeverityText(r.level().name())
                .setEventName(r.name())
                .setBody(r.message())
                .setAllAttributes(attributes(r.telemetry()))
                .emit();
    }

    static Severity severity(TelemetryLevel level) {
        return switch (level) {
            case DEBUG -> Severity.DEBUG;
            case INFO -> Severity.INFO;
            case WARNING -> Severity.WARN;
            case ERROR -> Severity.ERROR;
            case CRITICAL -> Severity.FATAL;
        };
    }

    static Attributes attributes(Map<String, Object> telemetry) {
        AttributesBuilder b = Attributes.builder();
        put(b, "", telemetry);
        return b.build();
    }

    private static void put(AttributesBuilder b, String prefix, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            put(b, prefix + e.getKey(), e.getValue());
        }
    }

    private static void put(AttributesBuilder b, String key, Object v) {
        switch (v) {
            case null -> { }
            case String s -> b.put(key, s);
            case Boolean bool -> b.put(key, bool);
            case Double d -> {
                if (!d.isNaN() && !d.isInfinite()) {
                    b.put(key, d);
                }
            }
            case Float f -> put(b, key, f.doubleValue());
            case Long l -> b.put(key, l);
            case Integer i -> b.put(key, (long) i);
            case Short s -> b.put(key, (long) s);
            case Byte by -> b.put(key, (long) by);
            case Number n -> put(b, key, n.doubleValue());
            case Instant i -> b.put(key, TelemetryRecord.TIME_FORMAT.format(i));
            case Map<?, ?> m -> put(b, key + ".", m);
            case Collection<?> c -> b.put(AttributeKey.stringArrayKey(key), texts(c));
            default -> {
                if (v.getClass().isArray()) {
                    List<Object> items = new ArrayList<>();
                    for (int i = 0, n = Array.getLength(v); i < n; i++) {
                        items.add(Array.get(v, i));
                    }
                    b.put(AttributeKey.stringArrayKey(key), texts(items));
                } else {
                    b.put(key, String.valueOf(v));
                }
            }
        }
    }

    private static List<String> texts(Collection<?> c) {
        List<String> out = new ArrayList<>(c.size());
        for (Object o : c) {
            out.add(String.valueOf(o));
        }
        return out;
    }
}
