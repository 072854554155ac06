package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The SDK's Prometheus pull endpoint ({@link PrometheusHttpServer}), with one adjustment so that the
 * scraped names are the reference's: the SDK turns unit {@code 1} into a {@code _ratio} suffix for
 * every metric, while the OpenTelemetry Collector (the reference's path to Prometheus) does so
 * only for gauges. The event counter is therefore handed to the Prometheus converter without its
 * unit, which gives {@code locust_tl_event_test_events_total} as with the Collector; OTLP exports
 * keep unit {@code 1}. As for OTLP, only the {@code locust_telemetry} meter's metrics are served.
 *
 * <p>It counts scrapes, so that the end of a run can keep serving the final values until Prometheus
 * has read them once ({@link #awaitScrape}): the requests of the last seconds would be lost otherwise.
 */
public final class PrometheusPullReader implements MetricReader {
    private final PrometheusHttpServer server;
    private final Object scrapes = new Object();
    private long scrapeCount;

    public PrometheusPullReader(PrometheusHttpServer server) {
        this.server = server;
    }

    @Override
    public void register(CollectionRegistration registration) {
        server.register(new CollectionRegistration() {
            @Override
            public Collection<MetricData> collectAllMetrics() {
                Collection<MetricData> all = OtelNames.ours(registration.collectAllMetrics());
                List<MetricData> out = new ArrayList<>(all.size());
                for (MetricData m : all) {
                    out.add(isUnitOneCounter(m) ? new WithoutUnit(m) : m);
                }
                synchronized (scrapes) {
                    scrapeCount++;
                    scrapes.notifyAll();
                }
                return out;
            }
        });
    }

    /**
     * Waits until the endpoint is scraped once more, at most {@code max}. Returns whether it was.
     * The collection the scrape triggers holds every value recorded until now.
     */
    public boolean awaitScrape(java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (scrapes) {
            long before = scrapeCount;
            while (scrapeCount == before) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(scrapes, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Scrapes so far. */
    public long scrapes() {
        synchronized (scrapes) {
            return scrapeCount;
        }
    }

    private static boolean isUnitOneCounter(MetricData m) {
        return OtelNames.UNIT_ONE.equals(m.getUnit())
                && (m.getType() == MetricDataType.LONG_SUM || m.getType() == MetricDataType.DOUBLE_SUM);
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return server.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return server.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return server.getMemoryMode();
    }

    @Override
    public CompletableResultCode forceFlush() {
        return server.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return server.shutdown();
    }

    @Override
    public String toString() {
        return "PrometheusPullReader{" + server + "}";
    }

    private record WithoutUnit(MetricData delegate) implements MetricData {
        @Override
        public Resource getResource() {
            return delegate.getResource();
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return delegate.getInstrumentationScopeInfo();
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public String getDescription() {
            return delegate.getDescription();
        }

        @Override
        public String getUnit() {
            return "";
        }

        @Override
        public MetricDataType getType() {
            return delegate.getType();
        }

        @Override
        public Data<?> getData() {
            return delegate.getData();
        }
    }
}
