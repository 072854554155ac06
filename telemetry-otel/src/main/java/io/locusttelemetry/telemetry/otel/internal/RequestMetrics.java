package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.telemetry.TestMetadata;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request histograms ({@code locust.tl.request.metric.success} and {@code .error}, in ms; beside
 * them {@code .intended}, the response times from the intended start where requests have one), and
 * with {@code --lt-otel-semconv} the semantic conventions' {@code http.client.request.duration} (s)
 * beside them for the HTTP client's requests. {@link #record} runs inline on the user's thread for
 * every request: it looks up pre-built {@link Attributes} (per run, endpoint, method, status and
 * error type) without allocating or locking once a combination has been seen, and records with the
 * given context so that sampled spans become exemplars.
 *
 * <p>At most {@code maxEndpoints} distinct request names keep their own {@code endpoint}
 * ({@link EndpointLimit}); later names are recorded as {@code endpoint="other"}.
 */
public final class RequestMetrics {
    private final DoubleHistogram success;
    private final DoubleHistogram error;
    private final DoubleHistogram httpDuration;
    private final DoubleHistogram intended;
    private final EndpointLimit limit;
    private volatile Table table;

    public RequestMetrics(Meter meter, EndpointLimit limit, boolean semconv) {
        this.limit = limit;
        this.success = meter.histogramBuilder(OtelNames.REQUEST_SUCCESS).setUnit(OtelNames.UNIT_MILLISECONDS)
                .setDescription("Response times of successful requests")
                .setExplicitBucketBoundariesAdvice(OtelNames.MILLISECOND_BUCKETS).build();
        this.error = meter.histogramBuilder(OtelNames.REQUEST_ERROR).setUnit(OtelNames.UNIT_MILLISECONDS)
                .setDescription("Response times of failed requests")
                .setExplicitBucketBoundariesAdvice(OtelNames.MILLISECOND_BUCKETS).build();
        this.intended = meter.histogramBuilder(OtelNames.REQUEST_INTENDED).setUnit(OtelNames.UNIT_MILLISECONDS)
                .setDescription("Response times from the intended start of each request's iteration (open model, paced users)")
                .setExplicitBucketBoundariesAdvice(OtelNames.MILLISECOND_BUCKETS).build();
        this.httpDuration = !semconv ? null : meter.histogramBuilder(OtelNames.HTTP_CLIENT_REQUEST_DURATION)
                .setUnit(OtelNames.UNIT_SECONDS).setDescription("Duration of HTTP client requests")
                .setExplicitBucketBoundariesAdvice(OtelNames.HTTP_DURATION_BUCKETS).build();
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
        Endpoint endpoint = t.endpoint(limit, e.name());
        Method method = endpoint.method(e.requestType());
        Attributes attributes = failure == null ? method.success(e.statusCode()) : method.error(failure.type(), e.statusCode());
        (failure == null ? success : error).record(ms, attributes, context);
        double fromIntendedStart = e.intendedResponseTime();
        if (fromIntendedStart >= 0) {
            intended.record(fromIntendedStart, attributes, context);
        }
        if (httpDuration != null && e.url() != null) {
            httpDuration.record(ms / 1000.0, method.semconv(endpoint.name, e), context);
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

    /** Distinct request names recorded as {@code other}. */
    public int overflowNames() {
        return limit.overflowNames();
    }

    /** Requests whose name was recorded as {@code other}. */
    public long otherRequests() {
        return limit.otherRequests();
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
            this.other = new Endpoint(OtelNames.OTHER_ENDPOINT, base.toBuilder().put(OtelNames.ENDPOINT, OtelNames.OTHER_ENDPOINT).build());
            this.maxCached = 10_000;
        }

        Endpoint endpoint(EndpointLimit limit, String name) {
            String n = name == null ? "" : name;
            Endpoint e = endpoints.get(n);
            if (e != null) {
                if (e == other) {
                    limit.countOther();
                }
                return e;
            }
            if (limit.admit(n)) {
                return endpoints.computeIfAbsent(n, k -> new Endpoint(k, base.toBuilder().put(OtelNames.ENDPOINT, k).build()));
            }
            limit.countOther();
            if (endpoints.size() < maxCached) {
                endpoints.putIfAbsent(n, other);
            }
            return other;
        }
    }

    /** Attributes of one endpoint, by method. */
    private static final class Endpoint {
        final String name;
        final Attributes base;
        final ConcurrentHashMap<String, Method> methods = new ConcurrentHashMap<>(4);

        Endpoint(String name, Attributes base) {
            this.name = name;
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
        /** {@code http.client.request.duration}'s attributes by status, error type and server: a few, scanned in order. */
        volatile Semconv[] semconv = new Semconv[0];

        Method(Attributes base) {
            this.base = base;
            this.success = new StatusTable(base);
        }

        /** The semantic conventions' attributes: built again only when the status, error type or server changes. */
        Attributes semconv(String template, RequestEvent e) {
            UrlParts url = UrlParts.of(e.url());
            String errorType = e.failure() == null ? null : ErrorTypes.of(e);
            Semconv[] known = semconv;
            for (Semconv s : known) {
                if (s.status == e.statusCode() && s.url == url && java.util.Objects.equals(s.errorType, errorType)) {
                    return s.attributes;
                }
            }
            AttributesBuilder b = Attributes.builder().put(OtelNames.HTTP_REQUEST_METHOD, e.requestType())
                    .put(OtelNames.URL_TEMPLATE, template);
            if (e.statusCode() > 0) {
                b.put(OtelNames.HTTP_RESPONSE_STATUS_CODE, (long) e.statusCode());
            }
            if (url.host() != null) {
                b.put(OtelNames.SERVER_ADDRESS, url.host());
            }
            if (url.port() > 0) {
                b.put(OtelNames.SERVER_PORT, (long) url.port());
            }
            if (errorType != null) {
                b.put(OtelNames.ERROR_TYPE, errorType);
            }
            Attributes a = b.build();
            if (known.length < MAX_SEMCONV_COMBINATIONS) {
                Semconv[] more = java.util.Arrays.copyOf(known, known.length + 1);
                more[known.length] = new Semconv(e.statusCode(), url, errorType, a);
                semconv = more;
            }
            return a;
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

    private record Semconv(int status, UrlParts url, String errorType, Attributes attributes) {}

    /** Combinations of one endpoint and method remembered; more are built per request. */
    private static final int MAX_SEMCONV_COMBINATIONS = 32;

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
