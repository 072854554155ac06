package io.locusttelemetry.cluster.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How a master answers peers that send what it cannot use: at most one answer a second per peer,
 * so a peer sending garbage in a loop gets a trickle back, not one answer per frame.
 *
 * <p>A node that is not a worker of this master (a worker of a master that was restarted, or one
 * this master forgot) is asked to {@code reconnect}: a jlocust worker then announces itself again
 * and is admitted. A node still unknown after {@link #UNKNOWN_GRACE_NANOS} of that (a Python
 * worker, which only resets its socket on {@code reconnect}) is asked to {@code quit}, as Locust
 * masters do with an unknown worker's {@code spawning}, so it stops loading the target.
 *
 * <p>At most {@value #MAX_PEERS} peers are remembered (the least recently heard from are forgotten
 * first). Thread-safe.
 */
final class PeerReplies {
    static final long REPLY_INTERVAL_NANOS = 1_000_000_000L;
    static final long UNKNOWN_GRACE_NANOS = 10_000_000_000L;
    static final int MAX_PEERS = 4096;

    /** What to answer. */
    enum Reply { NONE, RECONNECT, QUIT }

    private static final class Peer {
        long unknownSince = Long.MIN_VALUE;
        long lastReply = Long.MIN_VALUE;
    }

    private final LongSupplier clock;
    private final Map<String, Peer> peers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Peer> eldest) {
            return size() > MAX_PEERS;
        }
    };

    PeerReplies() {
        this(System::nanoTime);
    }

    PeerReplies(LongSupplier clock) {
        this.clock = clock;
    }

    /** A message from a node this master does not know. */
    synchronized Reply unknown(String id) {
        long now = clock.getAsLong();
        Peer p = peers.computeIfAbsent(id, k -> new Peer());
        if (p.unknownSince == Long.MIN_VALUE) {
            p.unknownSince = now;
        }
        if (!due(p, now)) {
            return Reply.NONE;
        }
        p.lastReply = now;
        return now - p.unknownSince >= UNKNOWN_GRACE_NANOS ? Reply.QUIT : Reply.RECONNECT;
    }

    /** A frame from {@code sender} that a master answers (a malformed one, a locustfile request): whether to answer now. */
    synchronized boolean answerDue(String sender) {
        long now = clock.getAsLong();
        Peer p = peers.computeIfAbsent(sender, k -> new Peer());
        if (!due(p, now)) {
            return false;
        }
        p.lastReply = now;
        return true;
    }

    /** The node announced itself and was admitted: it is no longer unknown. */
    synchronized void admitted(String id) {
        peers.remove(id);
    }

    private static boolean due(Peer p, long now) {
        return p.lastReply == Long.MIN_VALUE || now - p.lastReply >= REPLY_INTERVAL_NANOS;
    }
}
