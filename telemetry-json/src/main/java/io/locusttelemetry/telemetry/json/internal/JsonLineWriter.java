package io.locusttelemetry.telemetry.json.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.TelemetryRecord;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes telemetry records as JSON lines. Each record is encoded on the caller's thread into its
 * own buffer, then the complete line ({@code \n} included) goes out in one {@code write} call under
 * a lock: lines are never split or interleaved, whatever the number of writing threads.
 */
public final class JsonLineWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLineWriter.class);
    /** RFC 3339, UTC, milliseconds, {@code Z}. */
    public static final DateTimeFormatter TIME = TelemetryRecord.TIME_FORMAT;

    private final JsonFactory factory = JsonFactory.builder().build();
    private final OutputStream out;
    private final boolean ownsStream;
    private final String description;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private volatile boolean failureLogged;

    /**
     * @param out        where lines go
     * @param ownsStream whether {@link #close()} closes {@code out}
     */
    public JsonLineWriter(OutputStream out, boolean ownsStream, String description) {
        this.out = out;
        this.ownsStream = ownsStream;
        this.description = description;
    }

    /**
     * Opens {@code stdout}, {@code stderr} or a file (created if missing, appended to otherwise; its
     * folder must exist).
     *
     * @throws TelemetryConfigurationException when the file cannot be opened
     */
    public static JsonLineWriter open(String target) {
        String t = target == null || target.isBlank() ? "stdout" : target.trim();
        if (t.equals("stdout") || t.equals("-")) {
            return new JsonLineWriter(System.out, false, "stdout");
        }
        if (t.equals("stderr")) {
            return new JsonLineWriter(System.err, false, "stderr");
        }
        Path path = Path.of(t).toAbsolutePath();
        try {
            // no folder is created (the plugin checked the path before the test); FileOutputStream, not a FileChannel stream: an interrupted writer thread must not close the file
            return new JsonLineWriter(new FileOutputStream(path.toFile(), true), true, path.toString());
        } catch (IOException | RuntimeException e) {
            throw new TelemetryConfigurationException("--lt-json-output: cannot open '" + t + "' for writing: " + e.getMessage(), e);
        }
    }

    /** Where lines go: {@code stdout}, {@code stderr} or the file's path. */
    public String description() {
        return description;
    }

    /** Whether a write failed (logged once). */
    public boolean failed() {
        return failureLogged;
    }

    /** Writes one record as one line. Write errors are logged once, not thrown. */
    public void write(TelemetryRecord record) {
        byte[] line = encode(record);
        lock.lock();
        try {
            if (closed) {
                return;
            }
            out.write(line, 0, line.length);
            if (!ownsStream) {
                out.flush();
            }
        } catch (IOException e) {
            if (!failureLogged) {
                failureLogged = true;
                log.error("cannot write telemetry to {}: {}", description, e.toString());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The record as one line of UTF-8 JSON, {@code \n}-terminated. */
    public byte[] encode(TelemetryRecord record) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        try (JsonGenerator g = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(record.time()));
            g.writeStringField("level", record.level().name());
            g.writeStringField("name", record.logger());
            g.writeStringField("message", record.message());
            g.writeFieldName("telemetry");
            writeValue(g, record.telemetry());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal b -> g.writeNumber(b);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    g.writeNull();
                } else {
                    g.writeNumber(d);
                }
            }
            case Float f -> writeValue(g, f.doubleValue());
            case Number n -> writeValue(g, n.doubleValue());
            case Instant i -> g.writeString(TIME.format(i));
            case TemporalAccessor t -> g.writeString(t.toString());
            case Enum<?> e -> g.writeString(e.name());
            case CharSequence s -> g.writeString(s.toString());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object o : c) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> {
                if (v.getClass().isArray()) {
                    g.writeStartArray();
                    for (int i = 0, n = Array.getLength(v); i < n; i++) {
                        writeValue(g, Array.get(v, i));
                    }
                    g.writeEndArray();
                } else {
                    g.writeString(String.valueOf(v));
                }
            }
        }
    }

    /** Pushes buffered bytes out (file contents to the OS). */
    public void flush() {
        lock.lock();
        try {
            if (!closed) {
                out.flush();
            }
        } catch (IOException e) {
            log.debug("flush of {} failed: {}", description, e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** Flushes, and closes a file (stdout and stderr stay open). Later writes are dropped. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            out.flush();
            if (ownsStream) {
                out.close();
            }
        } catch (IOException e) {
            log.debug("close of {} failed: {}", description, e.toString());
        } finally {
            lock.unlock();
        }
    }
}
