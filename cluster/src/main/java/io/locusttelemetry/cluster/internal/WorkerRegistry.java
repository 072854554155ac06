package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.cluster.MasterRunner;
import io.locusttelemetry.cluster.WorkerInfo;
import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.protocol.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers a master knows: their index, state, liveness, heartbeat figures and user counts, as
 * Locust's master keeps them. A worker is {@code missing} when no heartbeat came for about 5 s and
 * is forgotten after about 65 s.
 *
 * <p>Its own monitor guards all of it, and it is a leaf lock: no method calls out (no listener, no
 * socket, no other lock) while holding it, so any thread may call any method, also with the
 * master's test lock held.
 */
public final class WorkerRegistry {
    /** The master's logger: what a user reads comes from "MasterRunner", whichever part of it writes. */
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);

    static final int HEARTBEAT_LIVENESS = 3;
    static final int HEARTBEAT_DEAD = -60;

    private static final class Node {
        final String id;
        final int index;
        final Object version;
        final boolean answerHeartbeats;
        String state = NodeState.READY;
        int liveness = HEARTBEAT_LIVENESS;
        double cpu;
        long memory;
        boolean cpuWarned;
        /** A heartbeat came in since the last round of replies. */
        boolean replyOwed;
        Map<String, Long> counts = Map.of();

        Node(String id, int index, Object version) {
            this.id = id;
            this.index = index;
            this.version = version;
            this.answerHeartbeats = LocustVersions.understandsHeartbeatReplies(version);
        }

        int users() {
            long sum = 0;
            for (Long v : counts.values()) {
                sum += v == null ? 0 : v;
            }
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, sum));
        }

        boolean active() {
            return NodeState.READY.equals(state) || NodeState.SPAWNING.equals(state) || NodeState.RUNNING.equals(state);
        }

        boolean missing() {
            return NodeState.MISSING.equals(state);
        }
    }

    /** What a heartbeat changed. */
    public enum Beat { UNKNOWN_WORKER, ALIVE, HEALED }

    /**
     * Where a sender stands with this master: a worker it admitted ({@code client_ready}, ack) and
     * runs, one it admitted that stopped ({@code client_stopped}, until it announces itself again:
     * its last report still counts), or a node it does not know (never admitted, quit, or forgotten).
     */
    public enum Standing { ACTIVE, STOPPED, UNKNOWN }

    /** A worker that sent {@code quit}: its index, and whether the master's own quit was waiting for it. */
    public record Departure(int index, boolean awaited) {}

    /** One round of {@link #sweep()}: the workers whose heartbeats to answer, and whether any went missing or was forgotten. */
    public record Sweep(List<String> replyTo, boolean changed) {}

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> indexes = new LinkedHashMap<>();
    private final Set<String> awaitingQuit = new HashSet<>();
    /** Workers that sent {@code client_stopped}, with the time (nanos), until they announce themselves again or are forgotten. */
    private final Map<String, Long> stopped = new LinkedHashMap<>();

    /** How {@code id} stands with this master. */
    public synchronized Standing standing(String id) {
        return nodes.containsKey(id) ? Standing.ACTIVE : stopped.containsKey(id) ? Standing.STOPPED : Standing.UNKNOWN;
    }

    /** The worker's index for its {@code ack}: the one it had before, or the next. */
    public synchronized int indexFor(String id) {
        return indexes.computeIfAbsent(id, k -> indexes.size());
    }

    /** Takes in a worker that sent {@code client_ready} (again: then it starts afresh, as in Locust). */
    public synchronized void register(String id, int index, Object version) {
        boolean known = nodes.containsKey(id);
        stopped.remove(id);
        nodes.put(id, new Node(id, index, version));
        if (known) {
            log.debug("{} (index {}) reported as ready (again). {} workers connected.", id, index, activeCount());
        } else {
            log.info("{} (index {}) reported as ready. {} workers connected.", id, index, activeCount());
        }
    }

    /** Records a heartbeat; {@code memory} counts only when the worker sent it ({@code hasMemory}). */
    public synchronized Beat heartbeat(String id, String state, double cpu, boolean hasMemory, long memory) {
        Node n = nodes.get(id);
        if (n == null) {
            return Beat.UNKNOWN_WORKER;
        }
        boolean healed = n.missing();
        n.liveness = HEARTBEAT_LIVENESS;
        n.state = state;
        n.cpu = cpu;
        if (hasMemory) {
            n.memory = memory;
        }
        if (n.cpu > AbstractRunner.CPU_WARNING_THRESHOLD && !n.cpuWarned) {
            n.cpuWarned = true;
            log.warn("Worker {} exceeded cpu threshold (will only log this once per worker)", id);
        }
        n.replyOwed = n.answerHeartbeats;
        if (healed) {
            log.info("Worker {} self-healed with heartbeat, setting state to {}.", id, n.state);
        }
        return healed ? Beat.HEALED : Beat.ALIVE;
    }

    /** The user counts of a stats report; false for an unknown worker. Ignored for a missing one. */
    public synchronized boolean reported(String id, Map<String, Long> userClassesCount) {
        Node n = nodes.get(id);
        if (n == null) {
            return false;
        }
        if (!n.missing()) {
            n.counts = userClassesCount;
        }
        return true;
    }

    /** A worker said {@code spawning}; false for an unknown worker. */
    public synchronized boolean spawning(String id) {
        Node n = nodes.get(id);
        if (n != null) {
            n.state = NodeState.SPAWNING;
        }
        return n != null;
    }

    /** A worker said {@code spawning_complete}; false for an unknown worker. */
    public synchronized boolean spawningComplete(String id, Map<String, Long> userClassesCount) {
        Node n = nodes.get(id);
        if (n != null) {
            n.state = NodeState.RUNNING;
            n.counts = userClassesCount;
        }
        return n != null;
    }

    /**
     * A worker stopped ({@code client_stopped}): it leaves the dispatch until it announces itself
     * again, but stays admitted (its last report counts); false if it was not active.
     */
    public synchronized boolean remove(String id) {
        boolean was = nodes.remove(id) != null;
        if (was) {
            stopped.put(id, System.nanoTime());
        }
        return was;
    }

    /** Forgets a worker that sent {@code quit}; null if it was not active. */
    public synchronized Departure quit(String id) {
        Node n = nodes.remove(id);
        stopped.remove(id);
        boolean awaited = awaitingQuit.remove(id);
        if (n == null) {
            return null;
        }
        log.info("Worker {} (index {}) quit. {} workers connected.", id, n.index, activeCount());
        return new Departure(n.index, awaited);
    }

    /** The master quits: from now on it waits for a {@code quit} from every worker that is not missing. */
    public synchronized void awaitQuitFromAll() {
        for (Node n : nodes.values()) {
            if (!n.missing()) {
                awaitingQuit.add(n.id);
            }
        }
    }

    /** Workers whose {@code quit} the master still waits for. */
    public synchronized int awaitingQuitCount() {
        return awaitingQuit.size();
    }

    /**
     * Once a second: takes the heartbeats owed a reply, forgets workers missing for a minute and
     * marks missing those silent for a few seconds.
     */
    public Sweep sweep() {
        return sweep(true);
    }

    /**
     * Once a second, as {@link #sweep()}; with {@code countSilence} false (the master did not
     * catch up with its messages since the last sweep, so a heartbeat may be waiting unread) only
     * the replies are taken, and no worker comes closer to being missing or forgotten.
     */
    public synchronized Sweep sweep(boolean countSilence) {
        List<String> replyTo = new ArrayList<>();
        boolean changed = false;
        if (countSilence) {
            long forgetBefore = System.nanoTime() - (long) (-HEARTBEAT_DEAD + HEARTBEAT_LIVENESS + 2) * 1_000_000_000L;
            stopped.values().removeIf(at -> at < forgetBefore);
        }
        for (Node n : new ArrayList<>(nodes.values())) {
            if (n.replyOwed) {
                n.replyOwed = false;
                replyTo.add(n.id);
            }
            if (!countSilence) {
                continue;
            }
            if (n.missing() && n.liveness <= HEARTBEAT_DEAD) {
                nodes.remove(n.id);
                log.info("Worker {} (index {}) has been missing for a minute: forgotten", n.id, n.index);
                changed = true;
                continue;
            }
            if (n.liveness < 0 && !n.missing()) {
                log.info("Worker {} (index {}) failed to send heartbeat, setting state to missing.", n.id, n.index);
                n.state = NodeState.MISSING;
                n.counts = Map.of();
                changed = true;
            } else {
                n.liveness--;
            }
        }
        return new Sweep(replyTo, changed);
    }

    /** The heartbeats owed a reply since the last sweep or call, taken (between two sweeps). */
    public synchronized List<String> takeReplies() {
        List<String> replyTo = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.replyOwed) {
                n.replyOwed = false;
                replyTo.add(n.id);
            }
        }
        return replyTo;
    }

    /**
     * Waits (polling, without the lock) until at least {@code count} workers are ready, logging
     * progress every second as Locust does.
     *
     * @param maxWait zero or negative to wait forever
     * @return false when the time ran out or {@code giveUp} said so
     */
    public boolean awaitReady(int count, Duration maxWait, BooleanSupplier giveUp) {
        long deadline = maxWait.isZero() || maxWait.isNegative() ? Long.MAX_VALUE : System.nanoTime() + maxWait.toNanos();
        long nextLog = System.nanoTime();
        while (readyCount() < count) {
            if (giveUp.getAsBoolean()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (System.nanoTime() >= nextLog) {
                log.info("Waiting for workers to be ready, {} of {} connected", readyCount(), count);
                nextLog = System.nanoTime() + 1_000_000_000L;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- views ---------------------------------------------------------------------------------

    /** Every known worker, by index. */
    public synchronized List<WorkerInfo> workers() {
        List<WorkerInfo> out = new ArrayList<>();
        for (Node n : byIndex()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            n.counts.forEach((k, v) -> counts.put(k, (int) (long) v));
            out.add(new WorkerInfo(n.id, n.index, n.state, counts, n.cpu, n.memory, n.version));
        }
        return out;
    }

    /** Every known worker's id, missing ones included. */
    public synchronized List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    /** The ready, spawning and running workers' ids by index: whom users go to. */
    public synchronized List<String> activeIds() {
        List<String> out = new ArrayList<>();
        for (Node n : byIndex()) {
            if (n.active()) {
                out.add(n.id);
            }
        }
        return out;
    }

    /** The active workers that fire their spawning_complete event on the master's broadcast. */
    public synchronized List<String> activeIdsAwaitingSpawningComplete() {
        List<String> out = new ArrayList<>();
        for (Node n : byIndex()) {
            if (n.active() && LocustVersions.understandsSpawningCompleteBroadcast(n.version)) {
                out.add(n.id);
            }
        }
        return out;
    }

    public synchronized int activeCount() {
        int count = 0;
        for (Node n : nodes.values()) {
            count += n.active() ? 1 : 0;
        }
        return count;
    }

    public synchronized int readyCount() {
        int count = 0;
        for (Node n : nodes.values()) {
            count += NodeState.READY.equals(n.state) ? 1 : 0;
        }
        return count;
    }

    /** Users the workers that are not missing last reported. */
    public synchronized int userCount() {
        int sum = 0;
        for (Node n : nodes.values()) {
            if (!n.missing()) {
                sum += n.users();
            }
        }
        return sum;
    }

    /** Users per class over the workers that are not missing, every class of {@code classNames} listed. */
    public synchronized Map<String, Integer> userClassesCount(List<String> classNames) {
        Map<String, Integer> out = new LinkedHashMap<>();
        classNames.forEach(c -> out.put(c, 0));
        for (Node n : nodes.values()) {
            if (!n.missing()) {
                n.counts.forEach((k, v) -> out.merge(k, (int) (long) v, Integer::sum));
            }
        }
        return out;
    }

    private List<Node> byIndex() {
        List<Node> sorted = new ArrayList<>(nodes.values());
        sorted.sort(Comparator.comparingInt(n -> n.index));
        return sorted;
    }
}
