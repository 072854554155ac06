package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.User;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where one user's requests meet the runner killing that user, so that a stop neither loses a
 * request the target got nor reports one it never got:
 * <ul>
 *   <li>a request not yet written when the kill comes is not sent: {@link #enter} says no;</li>
 *   <li>a request in flight when the kill comes is not interrupted: it has a grace to finish, and
 *       is reported as it ends;</li>
 *   <li>a request still in flight when the grace is over is cut: the user's thread is interrupted
 *       (which, on a virtual thread, closes a socket it is blocked on) and the request is reported
 *       as a failure {@code interrupted by stop} ({@link #isCut}).</li>
 * </ul>
 * A user that is in no request when the kill comes (waiting, or in its own code) is interrupted at
 * once; one whose request ends after the kill interrupts itself then.
 *
 * <p>One int holds the state (requests in flight, killed, cut), changed by atomic operations only:
 * a request pays two atomic adds, no lock and no allocation.
 */
public final class RequestGate {
    private static final int IN_FLIGHT = 0xFFFF;
    private static final int KILLED = 1 << 30;
    private static final int CUT = 1 << 29;
    private static final VarHandle STATE;
    private static volatile Function<User, RequestGate> ofUser;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RequestGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    /** The user class hands out its users' gates through this (for the HTTP client); once. */
    public static void install(Function<User, RequestGate> lookup) {
        ofUser = Objects.requireNonNull(lookup, "lookup");
    }

    /** The gate of {@code user}. */
    public static RequestGate of(User user) {
        return ofUser.apply(user);
    }

    /**
     * On the user's thread, before a request is written. False when the user is being killed: the
     * request must not be sent (throw {@code StopUser}). True obliges the caller to {@link #exit}.
     */
    public boolean enter() {
        int before = (int) STATE.getAndAdd(this, 1);
        if ((before & KILLED) != 0) {
            STATE.getAndAdd(this, -1);
            return false;
        }
        return true;
    }

    /**
     * On the user's thread, once the request {@link #enter}ed is reported. When the user was killed
     * meanwhile, its thread is interrupted now, as the kill would have done had no request been in flight.
     */
    public void exit() {
        int after = (int) STATE.getAndAdd(this, -1) - 1;
        if ((after & KILLED) != 0 && (after & IN_FLIGHT) == 0) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once the user is being killed: nothing more is sent. */
    public boolean isKilled() {
        return ((int) STATE.getVolatile(this) & KILLED) != 0;
    }

    /** True once a request in flight outlived its grace: it failed because of the stop. */
    public boolean isCut() {
        return ((int) STATE.getVolatile(this) & CUT) != 0;
    }

    /**
     * Kills the user that runs on {@code thread}: at once when no request is in flight, else once
     * the requests in flight ended, or {@code graceNanos} from now when they have not by then.
     * Killed again with a shorter grace (a worker told to quit), they are cut sooner.
     */
    public void kill(Thread thread, long graceNanos) {
        int before = (int) STATE.getAndBitwiseOr(this, KILLED);
        if ((before & IN_FLIGHT) == 0) {
            thread.interrupt();
            return;
        }
        WaitTimer.schedule(new WaitTimer.Timed() {
            @Override
            protected long expire(long now) {
                if (cut()) {
                    thread.interrupt();
                }
                return 0;
            }
        }, System.nanoTime() + Math.max(0, graceNanos));
    }

    /** Marks the requests in flight cut; false when none is in flight any more. */
    boolean cut() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & IN_FLIGHT) == 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | CUT)) {
                return true;
            }
        }
    }

    /**
     * On the user's thread, when its tasks are over and its {@code onStop} is about to run: that may
     * send requests again (a kill that comes later applies to them as to any).
     */
    public void reopen() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if (STATE.compareAndSet(this, s, s & IN_FLIGHT)) {
                return;
            }
        }
    }
}
