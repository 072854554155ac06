package io.locusttelemetry.testing;

import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.RunnerState;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runner of a given role without users or sockets, for what telemetry does on a master, a worker
 * or a local runner (the real distributed runners live in the cluster module): it fires the test
 * events a real runner fires (test start, spawning complete, test stopping, test stop), refuses a
 * second handler for a message type as a real runner does, keeps the messages it is asked to send,
 * and delivers a message to its handler as a worker receives one from its master.
 */
public final class RoleRunner implements Runner {
    /** A message the runner was asked to send. */
    public record Sent(String type, Object data) {}

    private final Environment env;
    private final Role role;
    private volatile String sourceId;
    private final Map<String, CustomMessage.Handler> handlers = new ConcurrentHashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile RunnerState state = RunnerState.READY;
    private volatile int users;

    /** A runner of {@code role} with {@code sourceId}, registered as {@code env}'s runner. */
    public RoleRunner(Environment env, Role role, String sourceId) {
        this.env = env;
        this.role = role;
        this.sourceId = sourceId;
        env.runner(this);
    }

    /** Delivers a message to this runner's handler, as a worker receives one from its master. */
    public void receive(String type, Object data) {
        handlers.get(type).onMessage(env, new CustomMessage(type, data, null));
    }

    /** The handlers registered so far, by message type. */
    public Map<String, CustomMessage.Handler> handlers() {
        return Collections.unmodifiableMap(handlers);
    }

    /** The messages it was asked to send, in order. */
    public List<Sent> sent() {
        return Collections.unmodifiableList(sent);
    }

    /** Changes the source id, as a worker's changes once its master has acknowledged it. */
    public void sourceId(String sourceId) {
        this.sourceId = sourceId;
    }

    @Override public Role role() { return role; }
    @Override public String sourceId() { return sourceId; }
    @Override public RunnerState state() { return state; }
    @Override public int userCount() { return users; }
    @Override public Map<String, Integer> userClassesCount() { return Map.of(); }
    @Override public int targetUserCount() { return users; }

    @Override
    public void start(int userCount, double spawnRate) {
        env.events().testStart.fire(env);
        users = userCount;
        state = RunnerState.RUNNING;
        env.events().spawningComplete.fire(new Events.SpawningComplete(userCount));
    }

    @Override
    public void stop() {
        env.events().testStopping.fire(env);
        users = 0;
        state = RunnerState.STOPPED;
        env.events().testStop.fire(env);
    }

    @Override public void quit() { stop(); }

    @Override
    public void sendMessage(String type, Object data) {
        sent.add(new Sent(type, data));
    }

    @Override
    public void sendMessage(String type, Object data, String clientId) {
        sendMessage(type, data);
    }

    @Override
    public void registerMessage(String type, CustomMessage.Handler handler) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalArgumentException("already registered: " + type);
        }
    }

    @Override public List<ExceptionRecord> exceptions() { return List.of(); }
}
