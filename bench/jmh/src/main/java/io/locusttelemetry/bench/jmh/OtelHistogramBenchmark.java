package io.locusttelemetry.bench.jmh;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An OTel SDK histogram record with request attributes (endpoint, method, status), with the
 * attributes prebuilt per endpoint as a recorder caches them, and built per call.
 * Still to do: the same through the otel recorder's own RequestMetrics.record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class OtelHistogramBenchmark {
    private static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("endpoint");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("status_code");

    private SdkMeterProvider provider;
    private DoubleHistogram histogram;
    private Attributes cached;

    @Setup
    public void setup() {
        provider = SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build();
        histogram = provider.get("bench").histogramBuilder("locust.tl.request.duration").setUnit("ms").build();
        cached = Attributes.of(ENDPOINT, "/file.txt", METHOD, "GET", STATUS, 200L);
    }

    @TearDown
    public void tearDown() {
        provider.close();
    }

    @Benchmark
    public void recordCachedAttributes() {
        histogram.record(1.25, cached);
    }

    @Benchmark
    public void recordBuiltAttributes() {
        histogram.record(1.25, Attributes.of(ENDPOINT, "/file.txt", METHOD, "GET", STATUS, 200L));
    }
}
