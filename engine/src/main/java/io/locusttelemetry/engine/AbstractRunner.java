package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.ExceptionTable;
import io.locusttelemetry.engine.internal.MessageHandlers;
import io.locusttelemetry.engine.internal.TaskModel;
import io.locusttelemetry.engine.internal.UsageMonitor;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.engine.stats.RequestStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every runner shares: starting and stopping users on virtual threads, the statistics ticker,
 * the exceptions table, custom message handlers and the CPU monitor. {@link LocalRunner} and the
 * distributed runners build on it.
 */
public abstract class AbstractRunner implements Runner {
    private static final Logger log = LoggerFactory.getLogger(AbstractRunner.class);
    /** Locust warns when a process uses more than this share of the machine's CPU. */
    public static final double CPU_WARNING_THRESHOLD = 90.0;
    /**
     * How long a request in flight when its user is killed may still take: it ends and is reported,
     * or it is cut then and reported as a failure {@value RequestEvent.Failure#INTERRUPTED_BY_STOP}.
     * A request not yet sent at the kill is not sent.
     */
    public static final Duration REQUEST_GRACE = Duration.ofSeconds(2);

    protected final Environment environment;
    protected volatile RunnerState state = RunnerState.READY;
    protected final ScheduledExecutorService scheduler;
    private final UsageMonitor usage;
    private final MessageHandlers handlers = new MessageHandlers();
    private final ExceptionTable exceptions = new ExceptionTable();
    private final Map<Class<? extends User>, ConcurrentLinkedDeque<User>> users = new ConcurrentHashMap<>();
    private final Map<Class<? extends User>, AtomicInteger> userCounts = new ConcurrentHashMap<>();
    private final AtomicInteger liveUsers = new AtomicInteger();
    private final Map<String, Class<? extends User>> classesByName = new LinkedHashMap<>();
    /** Every user class with its declared weight; {@link #dispatcher} is the chosen part of it. */
    private final UserDispatcher allClasses;
    private volatile UserDispatcher dispatcher;
    private final ShapeDriver shape;
    private volatile boolean quitWhenShapeEnds = true;
    private volatile long userSequence;
    private final CreationFailures creationFailures = new CreationFailures();
    private final DropWatch dropWatch = new DropWatch();
    private final ArrivalPools arrivals;
    private final UserStops stops = new UserStops();

    protected AbstractRunner(Environment environment) {
        this.environment = environment;
        for (Class<? extends User> c : environment.userClasses()) {
            classesByName.put(c.getSimpleName(), c);
            users.put(c, new ConcurrentLinkedDeque<>());
            userCounts.put(c, new AtomicInteger());
        }
        this.allClasses = UserDispatcher.of(environment.userClasses());
        this.dispatcher = allClasses;
        this.arrivals = new ArrivalPools(environment, creationFailures, u -> {
            stops.ended(u);
            onUserExit(u);
        });
        this.scheduler = Executors.newScheduledThreadPool(1, NamedThreads.daemon("runner-" + role().className()));
        this.shape = new ShapeDriver(environment, scheduler, this::start, this::startArrivals, this::onShapeFinished);
        environment.runner(this);
        environment.events().userError.addListener(e -> logException(e.exception(), e.traceback(), sourceId()));
        scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        this.usage = new UsageMonitor(environment, CPU_WARNING_THRESHOLD);
        usage.start(scheduler);
    }

    public Environment environment() {
        return environment;
    }

    @Override
    public RunnerState state() {
        return state;
    }

    @Override
    public int userCount() {
        return liveUsers.get() + arrivals.userCount();
    }

    @Override
    public Map<String, Integer> userClassesCount() {
        Map<String, Integer> out = new LinkedHashMap<>();
        classesByName.forEach((name, c) -> out.put(name, userCounts.get(c).get()));
        arrivals.userClassesCount().forEach((name, n) -> out.merge(name, n, Integer::sum));
        return out;
    }

    @Override
    public ArrivalPlan arrivalPlan() {
        return arrivals.plan();
    }

    /** Like {@link #userClassesCount()}, counting also the users stopped whose requests have not ended yet. */
    public Map<String, Integer> userClassesCountWithLeaving() {
        Map<String, Integer> out = userClassesCount();
        for (User u : stops.leaving()) {
            out.merge(u.getClass().getSimpleName(), 1, Integer::sum);
        }
        return out;
    }

    /** User classes by simple name, as they appear on the wire. */
    protected Map<String, Class<? extends User>> classesByName() {
        return Collections.unmodifiableMap(classesByName);
    }

    private void tick() {
        try {
            RequestStats stats = environment.stats();
            long now = RequestStats.nowMicros() / 1_000_000;
            stats.archiveBefore(now - 60);
            if (state == RunnerState.SPAWNING || state == RunnerState.RUNNING) {
                environment.statsHistory().record(stats.snapshot(), userCount(), now);
                dropWatch.check(environment, this);
            }
        } catch (RuntimeException e) {
            log.warn("statistics ticker failed: {}", e.toString());
        }
    }

    /** CPU of this process in percent of one core, as last sampled. */
    public double currentCpuUsage() {
        return usage.cpuPercent();
    }

    /** Resident memory of this process in bytes. */
    public long currentMemoryUsage() {
        return usage.memoryBytes();
    }

    /**
     * Logs a task's exception: a user that fails on every task would write a line per failure, so
     * repeats of the same error are rate-limited, with their count (the exceptions table has them all).
     */
    void logUserError(User user, Throwable cause) {
        exceptions.logUserError(user.getClass().getSimpleName(), cause);
    }

    /** Records an unhandled user exception in the exceptions table. */
    public void logException(Throwable exception, String traceback, String node) {
        String message = exception == null ? "" : exception.toString();
        logException(message, traceback, node);
    }

    /** Records an exception (also one reported by a worker). */
    public void logException(String message, String traceback, String node) {
        exceptions.add(message, traceback, node);
    }

    @Override
    public List<ExceptionRecord> exceptions() {
        return exceptions.records();
    }

    protected void clearExceptions() {
        exceptions.clear();
        creationFailures.clear();
        usage.rearmWarning();
    }

    /** Adds a handler of a custom message type: every handler of a type runs, in registration order. */
    @Override
    public void registerMessage(String type, CustomMessage.Handler handler) {
        handlers.add(type, handler);
    }

    /** Delivers a custom message to each of its handlers; returns false when none is registered. */
    protected boolean dispatchCustomMessage(CustomMessage message) {
        return handlers.dispatch(environment, message);
    }

    // ---- load shape and test control ---------------------------------------------------------

    /** Starts the environment's load shape; it drives the user count (or the arrival rate) until its tick returns null. */
    @Override
    public void startShape() {
        shape.start();
    }

    /** Stops driving the load shape (on stop or quit). */
    protected void stopShape() {
        shape.stop();
    }

    /** The shape's tick returned null: the test ends. Off the shape's own thread, as quit waits for it. */
    protected void onShapeFinished() {
        NamedThreads.startDaemon("runner-shape-end", quitWhenShapeEnds ? this::quit : this::stop);
    }

    @Override
    public void quitWhenShapeEnds(boolean quit) {
        this.quitWhenShapeEnds = quit;
    }

    /** Whether the end of the load shape quits this runner (else it only stops the test). */
    protected boolean quitsWhenShapeEnds() {
        return quitWhenShapeEnds;
    }

    @Override
    public void start(int userCount, double spawnRate, Map<String, Integer> weights) {
        UserDispatcher chosen = allClasses.select(weights);
        synchronized (allClasses) {
            boolean active = state == RunnerState.SPAWNING || state == RunnerState.RUNNING;
            if (active && !chosen.equals(dispatcher)) {
                throw new IllegalStateException("a test with other user classes is running: stop it first");
            }
            dispatcher = chosen;
        }
        start(userCount, spawnRate);
    }

    @Override
    public void resetStats() {
        environment.stats().reset();
        environment.statsHistory().clear();
        clearExceptions();
        environment.events().resetStats.fire(environment);
    }

    // ---- users -------------------------------------------------------------------------------

    /**
     * Starts or stops users so that each class runs the given number of users, at once.
     *
     * @return the classes of {@code target} with users wanted that this runner does not have: none
     *         of their users run (the caller reports it)
     */
    protected List<String> applyUserCounts(Map<String, Integer> target) {
        List<String> unknown = new ArrayList<>();
        target.forEach((name, wanted) -> {
            Class<? extends User> c = classesByName.get(name);
            if (c == null) {
                if (wanted != null && wanted > 0) {
                    unknown.add(name);
                }
                return;
            }
            int current = userCounts.get(c).get();
            if (wanted > current) {
                startUsers(c, wanted - current);
            } else if (wanted < current) {
                stopUsers(c, current - wanted);
            }
        });
        return unknown;
    }

    /**
     * Follows an open model's plan: per class, iterations at its rate from a pool of users that
     * grows up to its most users (a new plan retunes the running pools).
     *
     * @return the classes with a rate that this runner does not have: none of their iterations run
     */
    protected List<String> applyArrivals(ArrivalPlan plan) {
        return arrivals.apply(plan, classesByName, environment.host());
    }

    /**
     * Runs an open model's {@code plan}, or without one the closed model's user {@code counts}; the
     * users of the other model stop first (a load shape may switch between them).
     *
     * @return the classes wanted that this runner does not have: none of their users run
     */
    protected List<String> applyLoad(Map<String, Integer> counts, ArrivalPlan plan) {
        if (plan == null) {
            if (arrivals.plan() != null) {
                stops.stop(arrivals.detach(), environment.stopTimeout(), REQUEST_GRACE);
            }
            return applyUserCounts(counts);
        }
        Map<String, Integer> none = new LinkedHashMap<>();
        classesByName.keySet().forEach(c -> none.put(c, 0));
        applyUserCounts(none);
        return applyArrivals(plan);
    }

    /** Starts {@code n} users of class {@code c}, each on its own virtual thread. */
    protected void startUsers(Class<? extends User> c, int n) {
        TaskModel model = TaskModel.of(c, environment.tags(), environment.excludeTags());
        String host = UserClasses.host(c, environment.host());
        ConcurrentLinkedDeque<User> running = users.get(c);
        AtomicInteger count = userCounts.get(c);
        for (int i = 0; i < n; i++) {
            User user;
            try {
                user = UserClasses.newUser(c);
            } catch (IllegalStateException e) {
                creationFailures.report(environment, c, e);
                continue;
            }
            user.attach(environment, host, model);
            running.addLast(user);
            count.incrementAndGet();
            liveUsers.incrementAndGet();
            Thread thread = Thread.ofVirtual().name(c.getSimpleName() + "-" + (userSequence++)).unstarted(() -> {
                try {
                    user.run();
                } finally {
                    if (running.remove(user)) {
                        count.decrementAndGet();
                        liveUsers.decrementAndGet();
                    }
                    stops.ended(user);
                    onUserExit(user);
                }
            });
            user.thread = thread;
            thread.start();
        }
    }

    /** Called on a user's thread when it ended (stopped, or ended by itself with StopUser). */
    protected void onUserExit(User user) {}

    /**
     * Stops the {@code n} most recently started users of class {@code c}: waits up to the stop
     * timeout for them to end their task, not for their requests in flight (a later
     * {@link #stopAllUsers} waits for those).
     */
    protected void stopUsers(Class<? extends User> c, int n) {
        ConcurrentLinkedDeque<User> running = users.get(c);
        List<User> stopping = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            User u = running.pollLast();
            if (u == null) {
                break;
            }
            userCounts.get(c).decrementAndGet();
            liveUsers.decrementAndGet();
            stopping.add(u);
        }
        stops.stop(stopping, environment.stopTimeout(), REQUEST_GRACE);
    }

    /**
     * Stops every user, giving them {@code stopTimeout} seconds to finish their task and their
     * requests in flight {@link #REQUEST_GRACE}; returns once all have ended (bounded).
     */
    protected void stopAllUsers() {
        stopAllUsers(REQUEST_GRACE);
    }

    /**
     * Like {@link #stopAllUsers()}, with requests in flight given {@code requestGrace} instead
     * (also those of users stopped earlier, when it is shorter than theirs).
     */
    protected void stopAllUsers(Duration requestGrace) {
        List<User> all = new ArrayList<>();
        for (Map.Entry<Class<? extends User>, ConcurrentLinkedDeque<User>> e : users.entrySet()) {
            Iterator<User> it = e.getValue().iterator();
            while (it.hasNext()) {
                User u = it.next();
                if (e.getValue().remove(u)) {
                    userCounts.get(e.getKey()).decrementAndGet();
                    liveUsers.decrementAndGet();
                    all.add(u);
                }
            }
        }
        all.addAll(arrivals.detach());
        all.addAll(stops.leaving());
        stops.stop(all, environment.stopTimeout(), requestGrace);
        stops.awaitEnded(requestGrace);
        exceptions.flushLog();
    }

    /** How this runner's users are shared out over the environment's user classes (and workers). */
    protected UserDispatcher dispatcher() {
        return dispatcher;
    }

    /** Stops the background threads of this runner. */
    protected void shutdownScheduler() {
        scheduler.shutdownNow();
    }
}
