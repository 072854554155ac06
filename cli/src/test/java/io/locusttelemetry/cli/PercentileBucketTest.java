package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.cli.demo.DemoTarget;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An endpoint with a fixed 250 ms delay lands in Locust's 250 ms bucket. */
@Tag(Timing.TAG)
class PercentileBucketTest {

    @Test
    void fixedDelayLandsInItsLocustBucket() throws Exception {
        try (DemoTarget target = DemoTarget.start()) {
            Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/DelayUser.java", "-u", "4", "-r", "10",
                    "-t", "3s", "-H", target.url(), "--json");
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(0);
            JsonNode entries = new ObjectMapper().readTree(r.out());
            JsonNode delay = entries.get(0);
            assertThat(delay.get("name").asText()).isEqualTo("delay-250");
            assertThat(delay.get("num_requests").asLong()).isGreaterThan(10);
            JsonNode buckets = delay.get("response_times");
            long in250 = buckets.path("250").asLong();
            // 245 ms plus a few ms of overhead rounds to 250; the first requests may pay for connection set-up and JIT
            assertThat(in250).isGreaterThanOrEqualTo(delay.get("num_requests").asLong() * 8 / 10);
            buckets.fieldNames().forEachRemaining(k -> assertThat(Long.parseLong(k)).isBetween(250L, 400L));
        }
    }
}
