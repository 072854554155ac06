package io.locusttelemetry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RequestGateTest {
    private static final long LONG_GRACE = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aKillOutOfARequestInterruptsAtOnceAndNothingMoreIsSent() throws Exception {
        RequestGate gate = new RequestGate();
        CountDownLatch parked = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread user = Thread.ofVirtual().start(() -> {
            parked.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        parked.await();
        gate.kill(user, LONG_GRACE);
        user.join(5000);
        assertThat(interrupted).isTrue();
        assertThat(gate.enter()).as("a request after the kill is not sent").isFalse();
        assertThat(gate.isKilled()).isTrue();
        assertThat(gate.isCut()).isFalse();
    }

    @Test
    void aRequestInFlightIsNotInterruptedAndItsEndStopsTheUser() throws Exception {
        RequestGate gate = new RequestGate();
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread user = Thread.ofVirtual().start(() -> {
            assertThat(gate.enter()).isTrue();
            inFlight.countDown();
            try {
                killed.await();
                Thread.sleep(100); // still working on the request: no interrupt comes
                seen.set("request ended, interrupted=" + Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                seen.set("interrupted in flight");
            } finally {
                gate.exit();
            }
            seen.set(seen.get() + ", after exit interrupted=" + Thread.currentThread().isInterrupted());
        });
        inFlight.await();
        gate.kill(user, LONG_GRACE);
        killed.countDown();
        user.join(5000);
        assertThat(seen.get()).isEqualTo("request ended, interrupted=false, after exit interrupted=true");
        assertThat(gate.isCut()).isFalse();
    }

    @Test
    void aRequestOutlivingItsGraceIsCut() throws Exception {
        RequestGate gate = new RequestGate();
        CountDownLatch inFlight = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread user = Thread.ofVirtual().start(() -> {
            gate.enter();
            inFlight.countDown();
            try {
                Thread.sleep(60_000);
                seen.set("ended");
            } catch (InterruptedException e) {
                seen.set("cut=" + gate.isCut());
            } finally {
                gate.exit();
            }
        });
        inFlight.await();
        long t0 = System.nanoTime();
        gate.kill(user, TimeUnit.MILLISECONDS.toNanos(200));
        user.join(5000);
        assertThat(seen.get()).isEqualTo("cut=true");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
    }

    @Test
    void aShorterSecondKillCutsSooner() throws Exception {
        RequestGate gate = new RequestGate();
        CountDownLatch inFlight = new CountDownLatch(1);
        Thread user = Thread.ofVirtual().start(() -> {
            gate.enter();
            inFlight.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // cut
            } finally {
                gate.exit();
            }
        });
        inFlight.await();
        gate.kill(user, LONG_GRACE);
        gate.kill(user, TimeUnit.MILLISECONDS.toNanos(50));
        user.join(5000);
        assertThat(user.isAlive()).isFalse();
        assertThat(gate.isCut()).isTrue();
    }

    @Test
    void reopenedForOnStopItSendsAgain() {
        RequestGate gate = new RequestGate();
        gate.kill(Thread.ofVirtual().unstarted(() -> {}), LONG_GRACE);
        assertThat(gate.enter()).isFalse();
        gate.reopen();
        assertThat(gate.enter()).isTrue();
        gate.exit();
        assertThat(gate.isKilled()).isFalse();
    }

    /** However a kill and the user's requests interleave, no request starts after the kill and none in flight is interrupted. */
    @Test
    void raceBetweenKillAndRequests() throws Exception {
        for (int round = 0; round < 300; round++) {
            RequestGate gate = new RequestGate();
            AtomicBoolean killDone = new AtomicBoolean();
            AtomicInteger sentAfterKill = new AtomicInteger();
            AtomicInteger interruptedInFlight = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread user = Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    boolean killedBefore = killDone.get();
                    if (!gate.enter()) {
                        return;
                    }
                    if (killedBefore) {
                        sentAfterKill.incrementAndGet();
                    }
                    for (int i = 0; i < 50; i++) {
                        if (Thread.currentThread().isInterrupted()) {
                            interruptedInFlight.incrementAndGet();
                        }
                        Thread.onSpinWait();
                    }
                    gate.exit();
                    if (Thread.interrupted()) {
                        return;
                    }
                }
            });
            go.countDown();
            Thread.sleep(0, 1000 * (round % 50));
            gate.kill(user, LONG_GRACE);
            killDone.set(true);
            user.join(5000);
            assertThat(user.isAlive()).isFalse();
            assertThat(sentAfterKill).hasValue(0);
            assertThat(interruptedInFlight).hasValue(0);
        }
    }

    @Test
    void theCutTimerDoesNotFireForARequestThatEnded() throws Exception {
        RequestGate gate = new RequestGate();
        Thread user = Thread.ofVirtual().unstarted(() -> {});
        assertThat(gate.enter()).isTrue();
        gate.kill(user, TimeUnit.MILLISECONDS.toNanos(20));
        gate.exit();
        Thread.interrupted(); // exit interrupted this (the "user") thread
        Thread.sleep(100); // well past the 20 ms: the timer ran, and found nothing in flight
        assertThat(gate.isCut()).isFalse();
    }
}
