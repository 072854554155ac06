package io.locusttelemetry.telemetry.otel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line while open: SLF4J (Logback) at DEBUG and java.util.logging (the
 * OpenTelemetry SDK's) at every level.
 */
final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previous = root.getLevel();
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            events.add(e);
        }
    };
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Level julPrevious = julRoot.getLevel();
    private final List<String> jul = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLoggerName() != null && r.getLoggerName().startsWith("io.grpc.")) {
                return;
            }
            jul.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                    + (r.getParameters() == null ? "" : " " + java.util.Arrays.toString(r.getParameters()))
                    + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        julRoot.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(handler);
    }

    /**
     * SLF4J lines at WARN and above, as "LEVEL logger: message"; the engine's CPU warning (a busy
     * test machine) is left out.
     */
    List<String> warnings() {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(e -> !e.getFormattedMessage().startsWith("CPU usage above"))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    /**
     * Every captured line of both logging systems, with the exceptions of SLF4J events; lines of
     * the test's own OTLP receiver (grpc-java) are left out.
     */
    String all() {
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : events) {
            if (e.getLoggerName().startsWith("io.grpc.")) {
                continue;
            }
            sb.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(": ").append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                sb.append(e.getThrowableProxy().getClassName()).append(": ").append(e.getThrowableProxy().getMessage()).append('\n');
            }
        }
        jul.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** java.util.logging lines at WARNING and above. */
    List<String> julWarnings() {
        return jul.stream().filter(l -> l.startsWith("WARNING") || l.startsWith("SEVERE")).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previous);
        julRoot.removeHandler(handler);
        julRoot.setLevel(julPrevious);
    }
}
