package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.RunnerState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal runner of a given role for the master and worker paths (the real distributed runners
 * live in the cluster module): it keeps handlers and the messages sent, and fires the test events
 * a real runner fires.
 */
final class RoleRunner implements Runner {
    record Sent(String type, Object data) {}

    private final Environment env;
    private final Role role;
    private final String sourceId;
    final Map<String, CustomMessage.Handler> handlers = new ConcurrentHashMap<>();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile RunnerState state = RunnerState.READY;
    volatile int users;

    RoleRunner(Environment env, Role role, String sourceId) {
        this.env = env;
        this.role = role;
        this.sourceId = sourceId;
        env.runner(this);
    }

    /** Delivers a message to this runner's handler, as a worker receives one from its master. */
    void receive(String type, Object data) {
        handlers.get(type).onMessage(env, new CustomMessage(type, data, null));
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
