package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.telemetry.SampledRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The slowest traced requests of the last minute or so, for the web UI: for each of the last
 * {@value #SECONDS} seconds the {@value #PER_SECOND} slowest requests whose span was exported.
 * Written on the users' threads without a lock (a compare-and-set into the second's slots; one
 * object per traced request, which costs far less than its span), read on demand.
 */
final class SlowestSampled {
    static final int SECONDS = 64;
    static final int PER_SECOND = 16;

    /** One second's slots; replaced whole when a later second reuses its place. */
    private record Second(long epochSecond, AtomicReferenceArray<SampledRequest> slots) {}

    private final AtomicReferenceArray<Second> seconds = new AtomicReferenceArray<>(SECONDS);

    /** Offers a traced request; kept when it is among the slowest of its second. */
    void offer(RequestEvent e, String traceId) {
        long startMillis = e.startTime();
        long epochSecond = Math.floorDiv(startMillis, 1000);
        int index = (int) Math.floorMod(epochSecond, SECONDS);
        Second s = seconds.get(index);
        while (s == null || s.epochSecond() < epochSecond) {
            Second fresh = new Second(epochSecond, new AtomicReferenceArray<>(PER_SECOND));
            if (seconds.compareAndSet(index, s, fresh)) {
                s = fresh;
                break;
            }
            s = seconds.get(index);
        }
        if (s.epochSecond() != epochSecond) {
            return; // older than the second now in its place
        }
        double ms = e.responseTime();
        SampledRequest r = null;
        AtomicReferenceArray<SampledRequest> slots = s.slots();
        for (int attempt = 0; attempt < 4; attempt++) {
            int weakest = -1;
            SampledRequest weakestHeld = null;
            double weakestMs = Double.MAX_VALUE;
            for (int i = 0; i < PER_SECOND; i++) {
                SampledRequest held = slots.get(i);
                if (held == null) {
                    weakest = i;
                    weakestHeld = null;
                    weakestMs = -1;
                    break;
                }
                if (held.responseTime() < weakestMs) {
                    weakest = i;
                    weakestHeld = held;
                    weakestMs = held.responseTime();
                }
            }
            if (ms <= weakestMs) {
                return;
            }
            if (r == null) {
                r = new SampledRequest(startMillis, e.requestType(), e.name(), ms, traceId, e.failure() != null);
            }
            if (slots.compareAndSet(weakest, weakestHeld, r)) {
                return;
            }
        }
    }

    /** The slowest requests that started within {@code window} before {@code nowMillis}, slowest first. */
    List<SampledRequest> slowest(Duration window, int limit, long nowMillis) {
        long from = nowMillis - window.toMillis();
        List<SampledRequest> all = new ArrayList<>();
        for (int i = 0; i < SECONDS; i++) {
            Second s = seconds.get(i);
            if (s == null) {
                continue;
            }
            for (int j = 0; j < PER_SECOND; j++) {
                SampledRequest r = s.slots().get(j);
                if (r != null && r.timestampMillis() >= from && r.timestampMillis() <= nowMillis) {
                    all.add(r);
                }
            }
        }
        all.sort(Comparator.comparingDouble(SampledRequest::responseTime).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
}
