package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.telemetry.TestMetadata;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request histograms ({@code locust.tl.request.metric.success} and {@code .error}, in ms).
 * {@link #record} runs inline on the user's thread for every request: it looks up pre-built
 * {@link Attributes} (per run, endpoint, method, status and error type) without allocating or
 * locking once a combination has been seen, and records with the given context so that sampled
 * spans become exemplars.
 *
 * <p>At most {@code maxEndpoints} distinct request names keep their own {@code endpoint}; later
 * names are recorded as {@code endpoint="other"}, with a warning at the first and a count at the end.
 */
public final class RequestMetrics {
    private static final Logger log = LoggerFactory.getLogger(RequestMetrics.class);
    /** Names beyond this many (past the limit) are not remembered; each lookup of one then misses the cache. */
    private static final int MAX_REMEMBERED_OVERFLOW_NAMES = 10_000;

    private final DoubleHistogram success;
    private final DoubleHistogram error;
    private final int maxEndpoints;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> overflowNames = new ConcurrentHashMap<>();
    private final LongAdder otherRequests = new LongAdder();
    private volatile boolean overflowWarned;
    private volatile Table table;

    public RequestMetrics(Meter meter, int maxEndpoints) {
        this.maxEndpoints = maxEndpoints;
        this.success = meter.histogramBuilder(OtelNames.REQUEST_SUCCESS).setUnit(OtelNames.UNIT_MILLISECONDS)
                .setDescription("Response times of successful requests")
                .setExplicitBucketBoundariesAdvice(OtelNames.MILLISECOND_BUCKETS).build();
        this.error = meter.histogramBuilder(OtelNames.REQUEST_ERROR).setUnit(OtelNames.UNIT_MILLISECONDS)
                .setDescription("Response times of failed requests")
                .setExplicitBucketBoundariesAdvice(OtelNames.MILLISECOND_BUCKETS).build();
    }

    /**
     * Records one request.
     *
     * @param metadata the run's metadata (null before it is known: {@code run_id} and {@code testplan} are then left out)
     * @param source   the runner role's class name
     * @param sourceId the runner's source id
     * @param context  a context holding the request's sampled span (for an exemplar), or {@link Context#root()}
     */
    public void record(RequestEvent e, TestMetadata metadata, String source, String sourceId, Context context) {
        Table t = table;
        if (t == null || t.metadata != metadata) {
            t = newTable(metadata, source, sourceId);
        }
        double ms = e.responseTime();
        if (!(ms >= 0)) {
            ms = 0; // no response time (NaN) still counts as a request
        }
        RequestEvent.Failure failure = e.failure();
        if (failure == null) {
            success.record(ms, t.endpoint(this, e.name()).method(e.requestType()).success(e.statusCode()), context);
        } else {
            error.record(ms, t.endpoint(this, e.name()).method(e.requestType()).error(failure.type(), e.statusCode()), context);
        }
    }

    private synchronized Table newTable(TestMetadata metadata, String source, String sourceId) {
        Table t = table;
        if (t != null && t.metadata == metadata) {
            return t;
        }
        AttributesBuilder b = Attributes.builder().put(OtelNames.SOURCE, source).put(OtelNames.SOURCE_ID, sourceId);
        if (metadata != null) {
            b.put(OtelNames.RUN_ID, metadata.runId());
            if (metadata.testplan() != null) {
                b.put(OtelNames.TESTPLAN, metadata.testplan());
            }
        }
        t = new Table(metadata, b.build());
        table = t;
        return t;
    }

    /** Whether {@code name} keeps its own {@code endpoint} value (admitting it while there is room). */
    private boolean admit(String name) {
        if (admitted.containsKey(name)) {
            return true;
        }
        synchronized (admitted) {
            if (admitted.containsKey(name)) {
                return true;
            }
            if (admitted.size() < maxEndpoints) {
                admitted.put(name, Boolean.TRUE);
                return true;
            }
        }
        if (overflowNames.size() < MAX_REMEMBERED_OVERFLOW_NAMES) {
            overflowNames.putIfAbsent(name, Boolean.TRUE);
        }
        if (!overflowWarned) {
            overflowWarned = true;
            log.warn("More than {} distinct request names: '{}' and later new names are recorded as endpoint=\"other\" in the"
                    + " OpenTelemetry request metrics (raise --lt-otel-max-endpoints, or group requests with name=...)", maxEndpoints, name);
        }
        return false;
    }

    /** Distinct request names recorded as {@code other} (at most 10,000 are counted). */
    public int overflowNames() {
        return overflowNames.size();
    }

    /** Requests whose name was recorded as {@code other}. */
    public long otherRequests() {
        return otherRequests.sum();
    }

    /** The end-of-run warning about {@code endpoint="other"}, or null. */
    public String overflowSummary() {
        int names = overflowNames.size();
        if (names == 0) {
            return null;
        }
        return (names >= MAX_REMEMBERED_OVERFLOW_NAMES ? "At least " : "") + names + " request names beyond --lt-otel-max-endpoints "
                + maxEndpoints + " were recorded as endpoint=\"other\" in the OpenTelemetry request metrics";
    }

    /** Attributes of one run, by request name. */
    private static final class Table {
        final TestMetadata metadata;
        final Attributes base;
        final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
        final Endpoint other;
        final int maxCached;

        Table(TestMetadata metadata, Attributes base) {
            this.metadata = metadata;
            this.base = base;
            this.other = new Endpoint(base.toBuilder().put(OtelNames.ENDPOINT, OtelNames.OTHER_ENDPOINT).build());
            this.maxCached = 10_000;
        }

        Endpoint endpoint(RequestMetrics owner, String name) {
            String n = name == null ? "" : name;
            Endpoint e = endpoints.get(n);
            if (e != null) {
                if (e == other) {
                    owner.otherRequests.increment();
                }
                return e;
            }
            if (owner.admit(n)) {
                return endpoints.computeIfAbsent(n, k -> new Endpoint(base.toBuilder().put(OtelNames.ENDPOINT, k).build()));
            }
            owner.otherRequests.increment();
            if (endpoints.size() < maxCached) {
                endpoints.putIfAbsent(n, other);
            }
            return other;
        }
    }

    /** Attributes of one endpoint, by method. */
    private static final class Endpoint {
        final Attributes base;
        final ConcurrentHashMap<String, Method> methods = new ConcurrentHashMap<>(4);

        Endpoint(Attributes base) {
            this.base = base;
        }

        Method method(String method) {
            String m = method == null ? "" : method;
            Method found = methods.get(m);
            return found != null ? found : methods.computeIfAbsent(m, k -> new Method(base.toBuilder().put(OtelNames.METHOD, k).build()));
        }
    }

    /** Attributes of one endpoint and method, by status code (and error type). */
    private static final class Method {
        final Attributes base;
        final StatusTable success;
        final ConcurrentHashMap<String, StatusTable> errors = new ConcurrentHashMap<>(4);

        Method(Attributes base) {
            this.base = base;
            this.success = new StatusTable(base);
        }

        Attributes success(int status) {
            return success.get(status);
        }

        Attributes error(String type, int status) {
            String t = type == null || type.isEmpty() ? OtelNames.OTHER_ERROR_TYPE : type;
            StatusTable table = errors.get(t);
            if (table == null) {
                table = errors.computeIfAbsent(t, k -> new StatusTable(base.toBuilder().put(OtelNames.ERROR_TYPE, k).build()));
            }
            return table.get(status);
        }
    }

    /**
     * Status code to attributes: a few entries scanned in order, replaced whole on a new code.
     * {@code status_code} is absent for 0 (no response).
     */
    private static final class StatusTable {
        private record Entries(int[] codes, Attributes[] attributes) {}

        final Attributes base;
        volatile Entries entries = new Entries(new int[0], new Attributes[0]);

        StatusTable(Attributes base) {
            this.base = base;
        }

        Attributes get(int status) {
            Entries e = entries;
            int[] codes = e.codes;
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == status) {
                    return e.attributes[i];
                }
            }
            return add(status);
        }

        private synchronized Attributes add(int status) {
            Entries e = entries;
            for (int i = 0; i < e.codes.length; i++) {
                if (e.codes[i] == status) {
                    return e.attributes[i];
                }
            }
            Attributes a = status > 0 ? base.toBuilder().put(OtelNames.STATUS_CODE, (long) status).build() : base;
            int n = e.codes.length;
            int[] codes = java.util.Arrays.copyOf(e.codes, n + 1);
            Attributes[] attrs = java.util.Arrays.copyOf(e.attributes, n + 1);
            codes[n] = status;
            attrs[n] = a;
            entries = new Entries(codes, attrs);
            return a;
        }
    }
}
