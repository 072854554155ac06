package io.locusttelemetry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WaitTimerTest {

    @Test
    void aWaitEndsAtOrAfterItsDeadlineAndReusesItsWaiter() throws Exception {
        Object[] r = onVirtualThread(() -> {
            WaitTimer.Waiter w = null;
            List<Long> took = new ArrayList<>();
            WaitTimer.Waiter first = null;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                w = WaitTimer.sleep(w, 5_000_000);
                took.add(System.nanoTime() - start);
                if (first == null) {
                    first = w;
                }
            }
            return new Object[] {took, first == w};
        });
        @SuppressWarnings("unchecked")
        List<Long> took = (List<Long>) r[0];
        assertThat(took).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5_000_000L));
        // coalescing adds at most about a millisecond; leave room for a loaded machine
        assertThat(took.stream().sorted().toList().get(took.size() / 2)).isLessThan(20_000_000L);
        assertThat(r[1]).isEqualTo(true);
    }

    @Test
    void waitsShorterThanATickEndAfterTheirDeadlineAndAboutATickLateAtMost() throws Exception {
        List<Long> late = onVirtualThread(() -> {
            WaitTimer.Waiter w = null;
            List<Long> took = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long nanos = 100_000L + 10_000L * i; // 0.1 to 2.1 ms, the waits of a paced user that ran long
                long start = System.nanoTime();
                w = WaitTimer.sleep(w, nanos);
                took.add(System.nanoTime() - start - nanos);
            }
            return took;
        });
        assertThat(late).hasSize(200).allSatisfy(n -> assertThat(n).isNotNegative());
        // one tick of coalescing plus scheduling; leave room for a loaded machine
        assertThat(late.stream().sorted().toList().get(late.size() / 2)).isLessThan(5_000_000L);
    }

    /** Runs {@code body} on a virtual thread, as a user's waits run, and returns what it returned. */
    private static <T> T onVirtualThread(Callable<T> body) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.set(body.call());
            } catch (Exception e) {
                result.set(e);
            }
        });
        t.join(10_000);
        Object r = result.get();
        if (r instanceof Exception e) {
            throw e;
        }
        assertThat(r).as("the virtual thread finished").isNotNull();
        @SuppressWarnings("unchecked")
        T value = (T) r;
        return value;
    }

    @Test
    void thousandsOfUsersWakeUpEachAfterItsOwnWait() throws Exception {
        int users = 5_000;
        CountDownLatch done = new CountDownLatch(users);
        ConcurrentLinkedQueue<String> early = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < users; i++) {
            Thread.ofVirtual().start(() -> {
                WaitTimer.Waiter w = null;
                try {
                    for (int k = 0; k < 3; k++) {
                        long nanos = ThreadLocalRandom.current().nextLong(2_000_000, 50_000_000);
                        long start = System.nanoTime();
                        w = WaitTimer.sleep(w, nanos);
                        long took = System.nanoTime() - start;
                        if (took < nanos) {
                            early.add(took + " < " + nanos);
                        }
                    }
                } catch (InterruptedException e) {
                    early.add("interrupted");
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).as("every waiter woke up").isTrue();
        assertThat(early).isEmpty();
    }

    @Test
    void anInterruptEndsTheWaitAndTheNextWaitStillWorks() throws Exception {
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Long> second = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> {
            WaitTimer.Waiter w = null;
            try {
                waiting.countDown();
                w = WaitTimer.sleep(w, 60_000_000_000L);
                first.set("not interrupted");
            } catch (InterruptedException e) {
                first.set(e);
            }
            long start = System.nanoTime();
            try {
                WaitTimer.sleep(w, 3_000_000);
                second.set(System.nanoTime() - start);
            } catch (InterruptedException e) {
                second.set(-1L);
            }
        });
        waiting.await();
        Thread.sleep(50);
        t.interrupt();
        t.join(10_000);
        assertThat(first.get()).isInstanceOf(InterruptedException.class);
        assertThat(second.get()).isBetween(3_000_000L, 2_000_000_000L);
    }

    @Test
    void anInterruptBeforeTheWaitStopsItAtOnce() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> WaitTimer.sleep(null, 10_000_000_000L)).isInstanceOf(InterruptedException.class);
    }
}
