package io.locusttelemetry.engine;

import io.locusttelemetry.engine.http.HttpSession;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything one load test shares: the user classes, events, statistics, options and the runner.
 * Tests may create several environments in one JVM; nothing here is static.
 */
public final class Environment {
    private final Events events = new Events();
    private final RequestStats stats = new RequestStats();
    private final StatsHistory statsHistory = new StatsHistory();
    private volatile List<Class<? extends User>> userClasses;
    private final LoadTestShape shape;
    private volatile ParsedOptions parsedOptions;
    private volatile String host;
    private volatile Set<String> tags;
    private volatile Set<String> excludeTags;
    private volatile double stopTimeout;
    private volatile Runner runner;
    private volatile RequestTracer tracer;
    private volatile long maxBodySize = HttpSession.DEFAULT_MAX_BODY_SIZE;
    private volatile ArrivalPlan arrivalPlan;
    private final AtomicBoolean listenerFailed = new AtomicBoolean();
    private final List<InitHooks.Hook> initHooks;
    private final AtomicBoolean initHooksRun = new AtomicBoolean();

    private Environment(Builder b) {
        this.userClasses = List.copyOf(b.userClasses);
        this.shape = b.shape;
        this.parsedOptions = b.parsedOptions;
        this.host = b.host;
        this.tags = b.tags == null ? null : Set.copyOf(b.tags);
        this.excludeTags = b.excludeTags == null ? null : Set.copyOf(b.excludeTags);
        this.stopTimeout = b.stopTimeout;
        this.initHooks = List.copyOf(b.initHooks);
        events.request.addListener(this::recordStatistics);
        events.onListenerError(() -> listenerFailed.set(true));
    }

    public static Builder builder() {
        return new Builder();
    }

    private void recordStatistics(RequestEvent e) {
        double ms = e.responseTime();
        long micros = Double.isNaN(ms) ? -1 : Math.round(ms * 1000.0);
        double intended = e.intendedResponseTime();
        RequestEvent.Failure failure = e.failure();
        stats.logRequest(e.requestType(), e.name(), micros, e.responseLength(),
                failure == null ? null : java.util.Objects.requireNonNullElse(failure.message(), ""),
                intended >= 0 ? Math.round(intended * 1000.0) : -1);
    }

    /** Fires the {@code request} event (statistics are its first listener). */
    public void fireRequest(RequestEvent event) {
        events.request.fire(event);
    }

    public Events events() {
        return events;
    }

    public RequestStats stats() {
        return stats;
    }

    public StatsHistory statsHistory() {
        return statsHistory;
    }

    public List<Class<? extends User>> userClasses() {
        return userClasses;
    }

    /** Picks the user classes to run (e.g. named on the command line); before the runner is created. */
    public void userClasses(List<Class<? extends User>> classes) {
        if (runner != null) {
            throw new IllegalStateException("the runner already exists");
        }
        this.userClasses = List.copyOf(classes);
    }

    /** The load shape, or null when {@code -u}/{@code -r} drive the test. */
    public LoadTestShape shape() {
        return shape;
    }

    public ParsedOptions parsedOptions() {
        return parsedOptions;
    }

    public void parsedOptions(ParsedOptions options) {
        this.parsedOptions = Objects.requireNonNull(options);
    }

    /** {@code -H}: overrides every user class's host when set. */
    public String host() {
        return host;
    }

    public void host(String host) {
        this.host = host;
    }

    /** {@code --tags}, or null for all tasks. */
    public Set<String> tags() {
        return tags;
    }

    /** {@code --exclude-tags}, or null. */
    public Set<String> excludeTags() {
        return excludeTags;
    }

    /** Sets the tag filters (null = no filter); before the test starts. */
    public void tags(Set<String> tags, Set<String> excludeTags) {
        this.tags = tags == null ? null : Set.copyOf(tags);
        this.excludeTags = excludeTags == null ? null : Set.copyOf(excludeTags);
    }

    /** Sets the tag filters of {@code filter}; before the test starts. */
    public void tags(TagFilter filter) {
        tags(filter.tagsOrNull(), filter.excludeTagsOrNull());
    }

    /** Seconds users get to finish their task when stopping (0 = stop at once). */
    public double stopTimeout() {
        return stopTimeout;
    }

    public void stopTimeout(double seconds) {
        this.stopTimeout = seconds;
    }

    public Runner runner() {
        return runner;
    }

    /** Sets the runner; done by a runner's constructor. */
    public void runner(Runner runner) {
        this.runner = runner;
    }

    /** The installed request tracer, or null. */
    public RequestTracer tracer() {
        return tracer;
    }

    public void tracer(RequestTracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The largest HTTP response body a user's client accepts, in bytes ({@code --max-body-size},
     * default 64 MiB); a client or a request may set its own.
     */
    public long maxBodySize() {
        return maxBodySize;
    }

    /**
     * The open model of the run's user classes ({@code --arrival-rate}, {@link ArrivalRate}), or
     * null for a closed model. A load shape's {@code arrivals} keep its shares and pools; without
     * one they are shared by weight.
     */
    public ArrivalPlan arrivalPlan() {
        return arrivalPlan;
    }

    public void arrivalPlan(ArrivalPlan plan) {
        this.arrivalPlan = plan;
    }

    /** Sets {@link #maxBodySize()}; throws IllegalArgumentException when not positive or past what an array holds. */
    public void maxBodySize(long bytes) {
        this.maxBodySize = HttpSession.checkBodySize(bytes);
    }

    /**
     * Runs the locustfile's init hooks ({@link OnInit}), once, in order. Call it after creating the
     * runner and before firing {@code init} (the command line does, on every role; a worker before
     * it announces itself to its master).
     *
     * @throws IllegalStateException naming the hook that failed, with its error as the cause
     */
    public void runInitHooks() {
        if (!initHooksRun.compareAndSet(false, true)) {
            return;
        }
        for (InitHooks.Hook hook : initHooks) {
            try {
                hook.body().accept(this);
            } catch (RuntimeException e) {
                throw new IllegalStateException("@OnInit method " + hook.name() + " failed: " + e, e);
            }
        }
    }

    /** The locustfile's init hooks. */
    public List<InitHooks.Hook> initHooks() {
        return initHooks;
    }

    /** Creates the runner of a standalone test. */
    public LocalRunner createLocalRunner() {
        return new LocalRunner(this);
    }

    /** True if an event listener threw, or {@link #markUnhandledError()} was called: the run should end with exit code 2, as Locust does. */
    public boolean hadListenerError() {
        return listenerFailed.get();
    }

    /**
     * Marks the run as failed by an error outside the statistics that no listener saw (for
     * example a master whose socket failed): it ends with exit code 2, as after a listener error.
     */
    public void markUnhandledError() {
        listenerFailed.set(true);
    }

    /** Builds an {@link Environment}. */
    public static final class Builder {
        private final List<Class<? extends User>> userClasses = new ArrayList<>();
        private LoadTestShape shape;
        private ParsedOptions parsedOptions = ParsedOptions.empty();
        private String host;
        private Set<String> tags;
        private Set<String> excludeTags;
        private double stopTimeout;
        private List<InitHooks.Hook> initHooks = List.of();

        @SafeVarargs
        public final Builder userClasses(Class<? extends User>... classes) {
            userClasses.addAll(List.of(classes));
            return this;
        }

        public Builder userClasses(List<Class<? extends User>> classes) {
            userClasses.addAll(classes);
            return this;
        }

        public Builder shape(LoadTestShape shape) {
            this.shape = shape;
            return this;
        }

        public Builder parsedOptions(ParsedOptions options) {
            this.parsedOptions = options;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder tags(Set<String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder excludeTags(Set<String> excludeTags) {
            this.excludeTags = excludeTags;
            return this;
        }

        /** The locustfile's init hooks ({@link InitHooks#find}), run by {@link Environment#runInitHooks()}. */
        public Builder initHooks(List<InitHooks.Hook> hooks) {
            this.initHooks = List.copyOf(hooks);
            return this;
        }

        public Builder stopTimeout(double seconds) {
            this.stopTimeout = seconds;
            return this;
        }

        public Environment build() {
            return new Environment(this);
        }
    }
}
