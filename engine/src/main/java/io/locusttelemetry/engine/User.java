package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.RequestCarrier;
import io.locusttelemetry.engine.internal.RequestGate;
import io.locusttelemetry.engine.internal.TaskModel;
import io.locusttelemetry.engine.internal.TaskModel.TaskDef;
import io.locusttelemetry.engine.internal.WaitTimer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated user: runs its tasks, waiting between them, until the test stops. Each user runs on
 * its own virtual thread. Subclass it for non-HTTP users and report requests with
 * {@link #reportRequest}; extend {@link HttpUser} for HTTP.
 *
 * <p>Class-level settings use annotations: {@link Weight}, {@link FixedCount}, {@link Host}.
 */
public abstract non-sealed class User extends TaskContainer {
    private static final Logger log = LoggerFactory.getLogger(User.class);

    static {
        RequestGate.install(u -> u.gate);
    }

    private Environment environment;
    private String host;
    volatile boolean stopping;
    volatile boolean waiting;
    /** This user's reusable wait between tasks (touched only by its own thread). */
    WaitTimer.Waiter waiter;
    /** Whether this user may send, and what a kill does to the request in flight. */
    final RequestGate gate = new RequestGate();
    volatile Thread thread;
    Object currentTask;
    /** Reused by this user's requests outside the HTTP client (touched only by its own thread). */
    private RequestCarrier carrier;
    private final Map<String, Object> context = new ConcurrentHashMap<>();

    protected User() {}

    @Override
    public final User user() {
        return this;
    }

    /** The environment this user runs in. */
    public Environment environment() {
        return environment;
    }

    /** Base URL of requests: {@code -H}, else the class's {@link Host}. */
    public String host() {
        return host;
    }

    /** Free-form values attached to every request event of this user (Locust's {@code context()}). */
    public Map<String, Object> context() {
        return context;
    }

    /** True once the test asked this user to stop. */
    public boolean isStopping() {
        return stopping;
    }

    /** Handle of the running task for tracing, or null. */
    public Object currentTaskTrace() {
        return currentTask;
    }

    /**
     * Reports a request made by any client (Locust's {@code events.request.fire}).
     *
     * @param requestType    e.g. {@code "grpc"}, {@code "SQL"}
     * @param name           name to group statistics by
     * @param responseTimeMs response time in milliseconds
     * @param responseLength bytes received
     * @param failure        null on success, else the error text
     */
    protected final void reportRequest(String requestType, String name, double responseTimeMs, long responseLength, String failure) {
        environment.fireRequest(new RequestEvent(requestType, name, responseTimeMs, responseLength, 0,
                failure == null ? null : new RequestEvent.Failure("Failure", failure, null),
                System.currentTimeMillis() - (long) responseTimeMs, null, context, this, null));
    }

    /**
     * Times {@code action} and reports it as one request: a failure if it throws (the exception is
     * rethrown), a success otherwise. Locust's measure helper. When the test stops the user, an
     * action not started is not run, and one running has the request grace to end; one that fails
     * after it is reported as {@value RequestEvent.Failure#INTERRUPTED_BY_STOP} and this throws {@link StopUser}.
     */
    protected final <T> T measure(String requestType, String name, ThrowingSupplier<T> action) throws Exception {
        return measure(requestType, name, action, null);
    }

    /**
     * Like {@link #measure(String, String, ThrowingSupplier)}, with the request's trace context for
     * {@code action} to put into the call's metadata (gRPC metadata, Kafka headers, ...): with a
     * tracer installed the request has its span from the start, and the system under test joins
     * the trace.
     */
    protected final <T> T measure(String requestType, String name, RequestFunction<T> action) throws Exception {
        return measure(requestType, name, null, action);
    }

    private <T> T measure(String requestType, String name, ThrowingSupplier<T> supplier, RequestFunction<T> function)
            throws Exception {
        enterRequest();
        RequestCarrier c = carrierFor(requestType, name);
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        try {
            T result = function != null ? function.apply(c) : supplier.get();
            double ms = (System.nanoTime() - start) / 1e6;
            environment.fireRequest(new RequestEvent(requestType, name, ms, 0, 0, null, startMillis, null, context, this, c.trace()));
            return result;
        } catch (Exception e) {
            double ms = (System.nanoTime() - start) / 1e6;
            // cut when its grace was over, or its action was about to send something when the kill came
            boolean cut = gate.isCut() || e instanceof StopUser && gate.isKilled();
            environment.fireRequest(new RequestEvent(requestType, name, ms, 0, 0,
                    cut ? RequestEvent.Failure.interruptedByStop() : RequestEvent.Failure.of(e), startMillis, null, context, this,
                    c.trace()));
            if (cut) {
                throw new StopUser();
            }
            throw e;
        } finally {
            c.release();
            gate.exit();
        }
    }

    /** Before a request is sent: a user being killed sends nothing more. */
    private void enterRequest() {
        if (!gate.enter()) {
            throw new StopUser();
        }
    }

    /**
     * Starts a request made by any client, for {@link #reportRequest(RequestContext, double, long, String)}
     * once it is done: with a tracer installed its span starts now, and the returned context carries
     * its {@code traceparent} for the request's metadata.
     */
    protected final RequestContext startRequest(String requestType, String name) {
        enterRequest();
        try {
            return carrierFor(requestType, name);
        } catch (RuntimeException | Error e) {
            gate.exit();
            throw e;
        }
    }

    private RequestCarrier carrierFor(String requestType, String name) {
        RequestCarrier c = carrier;
        if (c == null || !c.acquire()) {
            c = new RequestCarrier();
            c.acquire();
            if (carrier == null) {
                carrier = c;
            }
        }
        c.request(requestType, name);
        RequestTracer tracer = environment.tracer();
        if (tracer != null) {
            c.trace(tracer.requestStarted(currentTask, requestType, name, null, c));
        }
        return c;
    }

    /**
     * Reports a request started with {@link #startRequest}; its span (if any) ends now.
     *
     * @param request        what {@link #startRequest} returned
     * @param responseTimeMs response time in milliseconds
     * @param responseLength bytes received
     * @param failure        null on success, else the error text
     */
    protected final void reportRequest(RequestContext request, double responseTimeMs, long responseLength, String failure) {
        if (!(request instanceof RequestCarrier c) || c.name() == null) {
            throw new IllegalArgumentException("not a started request (use startRequest, and report it once): " + request);
        }
        String type = c.requestType();
        String name = c.name();
        try {
            RequestEvent.Failure f = failure == null ? null
                    : gate.isCut() ? RequestEvent.Failure.interruptedByStop() : new RequestEvent.Failure("Failure", failure, null);
            environment.fireRequest(new RequestEvent(type, name, responseTimeMs, responseLength, 0, f,
                    System.currentTimeMillis() - (long) responseTimeMs, null, context, this, c.trace()));
        } finally {
            c.release();
            gate.exit();
        }
    }

    /** Work measured by {@link #measure}. */
    @FunctionalInterface
    public interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** Work measured by {@link #measure(String, String, RequestFunction)}, given its request's trace context. */
    @FunctionalInterface
    public interface RequestFunction<T> {
        T apply(RequestContext request) throws Exception;
    }

    /** Called by the runner after construction. */
    final void attach(Environment environment, String host, TaskModel model) {
        this.environment = environment;
        this.host = host;
        this.model = model;
    }

    /** The user's life: onStart, tasks until stopped, onStop. Called on the user's own thread. */
    final void run() {
        thread = Thread.currentThread();
        try {
            runTasks();
        } catch (StopUser e) {
            // normal end
        } catch (RuntimeException | Error e) {
            // an Error too (OutOfMemoryError, StackOverflowError...) is the user's error: reported
            // and counted, so that the run ends non-zero instead of losing the user silently
            if (!stopping) {
                reportError(e);
            }
        } finally {
            // onStop may still make requests, so it runs with the interrupt cleared
            Thread.interrupted();
            gate.reopen();
            try {
                onStop();
            } catch (StopUser e) {
                // fine
            } catch (RuntimeException | Error e) {
                reportError(e);
            } finally {
                closeResources();
            }
        }
    }

    /**
     * True while the runner kills this user: it sends no new request, and a failure then comes from
     * the stop, not from the test (see {@code docs/writing-users.md}, "Stopping").
     */
    public boolean isKilled() {
        return gate.isKilled();
    }

    /** Releases what the user holds (connections). */
    void closeResources() {}

    final void executeTask(TaskContainer owner, TaskDef task) {
        RequestTracer tracer = environment.tracer();
        Object previous = currentTask;
        Object span = null;
        if (tracer != null) {
            span = tracer.taskStarted(this, task.name());
            currentTask = span;
        }
        Throwable error = null;
        try {
            if (task.method() != null) {
                task.method().invokeExact((Object) owner);
            } else {
                if (runNested(task.taskSet(), owner)) {
                    throw TaskContainer.NestedRescheduleSignal.INSTANCE;
                }
            }
        } catch (RuntimeException | Error e) {
            error = e;
            throw e;
        } catch (Throwable t) {
            error = t;
            throw new TaskFailedException(t);
        } finally {
            if (tracer != null) {
                tracer.taskEnded(span, error instanceof StopUser || error instanceof RescheduleTask
                        || error instanceof InterruptTaskSet || error instanceof TaskContainer.NestedRescheduleSignal ? null : error);
                currentTask = previous;
            }
        }
    }

    /** Runs a nested task set until it is interrupted; returns its reschedule flag. */
    final boolean runNested(Class<? extends TaskSet> type, TaskContainer parent) {
        TaskSet taskSet = instantiate(type, parent);
        taskSet.attach(this, parent, TaskModel.of(type, environment.tags(), environment.excludeTags()));
        return taskSet.runTasks();
    }

    private static TaskSet instantiate(Class<? extends TaskSet> type, TaskContainer parent) {
        try {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                Class<?>[] params = c.getParameterTypes();
                if (params.length == 0) {
                    c.setAccessible(true);
                    return (TaskSet) c.newInstance();
                }
                if (params.length == 1 && params[0].isInstance(parent)) {
                    c.setAccessible(true);
                    return (TaskSet) c.newInstance(parent);
                }
            }
            throw new IllegalStateException("task set " + type.getName() + " needs a constructor without arguments");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot create task set " + type.getName() + ": " + cause, cause);
        }
    }

    final void reportError(Throwable e) {
        Throwable cause = e instanceof TaskFailedException tf ? tf.getCause() : e;
        String traceback;
        try {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            traceback = trace.toString();
        } catch (OutOfMemoryError oom) {
            // no memory for the trace: the error's type still counts
            traceback = cause.getClass().getName();
        }
        if (environment != null && environment.runner() instanceof AbstractRunner runner) {
            runner.logUserError(this, cause);
        } else {
            log.error("{} in {}: {}", cause.getClass().getSimpleName(), getClass().getSimpleName(), cause.getMessage());
        }
        if (environment != null) {
            environment.events().userError.fire(new Events.UserError(this, cause, traceback));
        }
    }

    /** A checked exception thrown by a task method, carried through the task loop. */
    static final class TaskFailedException extends RuntimeException {
        TaskFailedException(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
