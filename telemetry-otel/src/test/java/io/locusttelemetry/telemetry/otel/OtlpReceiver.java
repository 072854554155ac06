package io.locusttelemetry.telemetry.otel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP receiver for tests: real gRPC (grpc-java on Netty) and real HTTP/protobuf (the JDK's
 * HTTP server) on 127.0.0.1, decoding every request (metrics, traces, logs) with the official
 * opentelemetry-proto classes.
 * It keeps every export request and the headers they came with; {@link #failWith} makes it answer
 * every export with an error.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final Server grpc;
    private final HttpServer http;
    private volatile Status failure;

    private OtlpReceiver(int grpcPort, int httpPort) throws IOException {
        InetSocketAddress grpcAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), grpcPort);
        ServerInterceptor captureHeaders = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata md, ServerCallHandler<Q, R> next) {
                Map<String, String> h = new LinkedHashMap<>();
                for (String key : md.keys()) {
                    if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                        h.put(key, md.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
                    }
                }
                headers.add(h);
                return Contexts.interceptCall(io.grpc.Context.current(), call, md, next);
            }
        };
        grpc = NettyServerBuilder.forAddress(grpcAddress)
                .addService(ServerInterceptors.intercept(new MetricsServiceGrpc.MetricsServiceImplBase() {
                    @Override
                    public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
                        if (failure != null) {
                            response.onError(failure.asRuntimeException());
                            return;
                        }
                        metrics.add(request);
                        response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }, captureHeaders))
                .addService(ServerInterceptors.intercept(new TraceServiceGrpc.TraceServiceImplBase() {
                    @Override
                    public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
                        if (failure != null) {
                            response.onError(failure.asRuntimeException());
                            return;
                        }
                        traces.add(request);
                        response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }, captureHeaders))
                .addService(ServerInterceptors.intercept(new LogsServiceGrpc.LogsServiceImplBase() {
                    @Override
                    public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
                        if (failure != null) {
                            response.onError(failure.asRuntimeException());
                            return;
                        }
                        logs.add(request);
                        response.onNext(ExportLogsServiceResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }, captureHeaders))
                .build()
                .start();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 64);
        http.createContext("/v1/metrics", ex -> handle(ex, "metrics"));
        http.createContext("/v1/traces", ex -> handle(ex, "traces"));
        http.createContext("/v1/logs", ex -> handle(ex, "logs"));
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "otlp-http-receiver");
            t.setDaemon(true);
            return t;
        }));
        http.start();
    }

    /** Starts on two free loopback ports. */
    public static OtlpReceiver start() throws IOException {
        return new OtlpReceiver(0, 0);
    }

    /** Starts on the given loopback ports (4317 and 4318 for checks by hand). */
    public static OtlpReceiver start(int grpcPort, int httpPort) throws IOException {
        return new OtlpReceiver(grpcPort, httpPort);
    }

    private void handle(HttpExchange ex, String signal) throws IOException {
        try (ex) {
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            headers.add(h);
            if (!"POST".equals(ex.getRequestMethod())
                    || !"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                ex.sendResponseHeaders(415, -1);
                return;
            }
            InputStream in = ex.getRequestBody();
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            byte[] body = in.readAllBytes();
            if (failure != null) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            byte[] answer;
            if (signal.equals("metrics")) {
                metrics.add(ExportMetricsServiceRequest.parseFrom(body));
                answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            } else if (signal.equals("traces")) {
                traces.add(ExportTraceServiceRequest.parseFrom(body));
                answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            } else {
                logs.add(ExportLogsServiceRequest.parseFrom(body));
                answer = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
        }
    }

    public int grpcPort() {
        return grpc.getPort();
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The endpoint for a protocol: {@code http://127.0.0.1:<port>}. */
    public String endpoint(String protocol) {
        return "http://127.0.0.1:" + (protocol.equals("grpc") ? grpcPort() : httpPort());
    }

    /** Answers every export with this gRPC status (HTTP: 503) from now on; null to accept again. */
    public void failWith(Status status) {
        this.failure = status;
    }

    public List<ExportMetricsServiceRequest> metricRequests() {
        return List.copyOf(metrics);
    }

    public List<ExportTraceServiceRequest> traceRequests() {
        return List.copyOf(traces);
    }

    /** Headers of every export request received (names lower case). */
    public List<Map<String, String>> headers() {
        return List.copyOf(headers);
    }

    /** Every metric of every export, with the resource it came with, in arrival order. */
    public List<Received<Metric>> metrics() {
        List<Received<Metric>> out = new ArrayList<>();
        for (ExportMetricsServiceRequest r : metrics) {
            for (ResourceMetrics rm : r.getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        out.add(new Received<>(attributes(rm.getResource().getAttributesList()), sm.getScope().getName(), m));
                    }
                }
            }
        }
        return out;
    }

    /** The metric of this name in the latest export that has it (cumulative: it holds the totals), or null. */
    public Received<Metric> latest(String name) {
        List<Received<Metric>> all = metrics();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).item().getName().equals(name)) {
                return all.get(i);
            }
        }
        return null;
    }

    /** Every span received, with its resource. */
    public List<Received<Span>> spans() {
        List<Received<Span>> out = new ArrayList<>();
        for (ExportTraceServiceRequest r : traces) {
            for (ResourceSpans rs : r.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        out.add(new Received<>(attributes(rs.getResource().getAttributesList()), ss.getScope().getName(), s));
                    }
                }
            }
        }
        return out;
    }

    /** Every log record received, with its resource and scope. */
    public List<Received<LogRecord>> logs() {
        List<Received<LogRecord>> out = new ArrayList<>();
        for (ExportLogsServiceRequest r : logs) {
            for (ResourceLogs rl : r.getResourceLogsList()) {
                for (ScopeLogs sl : rl.getScopeLogsList()) {
                    for (LogRecord l : sl.getLogRecordsList()) {
                        out.add(new Received<>(attributes(rl.getResource().getAttributesList()), sl.getScope().getName(), l));
                    }
                }
            }
        }
        return out;
    }

    /** Key-value pairs as a map of plain Java values (String, Long, Double, Boolean). */
    public static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> v.toString();
        };
    }

    /** One decoded item and where it came from. */
    public record Received<T>(Map<String, Object> resource, String scope, T item) {}

    @Override
    public void close() {
        grpc.shutdownNow();
        try {
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
    }
}
