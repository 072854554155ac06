package io.locusttelemetry.engine.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class LimitedLogTest {
    private final AtomicLong clock = new AtomicLong();
    private final LimitedLog log = new LimitedLog(NOPLogger.NOP_LOGGER, 5, Duration.ofSeconds(5), clock::get);

    @Test
    void aKindIsLoggedFiveTimesThenOncePerPeriod() {
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            logged += log.warn("malformed", "bad frame {}", i) ? 1 : 0;
        }
        assertThat(logged).isEqualTo(5);
        assertThat(log.suppressedCount()).isEqualTo(995);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(log.warn("malformed", "bad frame")).isTrue();
        assertThat(log.warn("malformed", "bad frame")).isFalse();
    }

    @Test
    void flushTellsWhatWasHeldBackAtTheEnd() {
        for (int i = 0; i < 10; i++) {
            log.warn("malformed", "bad frame {}", i);
        }
        log.flush();
        // flushed: the next line of the kind is still limited by its period, but nothing is owed
        log.flush();
        assertThat(log.suppressedCount()).isEqualTo(5);
    }

    @Test
    void kindsAreLimitedApart() {
        for (int i = 0; i < 100; i++) {
            log.warn("a", "x");
        }
        assertThat(log.error("b", "y")).isTrue();
    }

    /** Whatever kinds a peer invents, at most BURST lines per kind and MAX_KINDS + 1 kinds get through per period. */
    @Test
    void inventedKindsCannotFloodTheLog() {
        Random random = new Random(7);
        int logged = 0;
        for (int i = 0; i < 100_000; i++) {
            logged += log.warn("type-" + random.nextInt(1_000_000), "unknown type {}", i, new IllegalStateException()) ? 1 : 0;
        }
        assertThat(logged).isLessThanOrEqualTo((LimitedLog.MAX_KINDS + 1) * 5);
        assertThat(log.suppressedCount()).isEqualTo(100_000 - logged);
    }
}
