package io.locusttelemetry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports for the tests' peers. Test JVMs run side by side, and a peer of one test (a worker, a
 * load generator told a port where nothing listens) may still reach for its port after its test
 * ended: a port handed out again at once could bring that traffic into another test's counts. So
 * each test JVM walks a range of its own ({@code jlocust.test.fork}, set by the build to
 * surefire's fork number), below the kernel's ephemeral ports, and hands no port out twice
 * before it has gone round its whole range.
 */
public final class Ports {
    private static final int FIRST = 20_000;
    private static final int RANGE = 3_000;
    private static final int FORKS = 4;
    private static int next;

    private Ports() {}

    /** A TCP port that was free a moment ago on 127.0.0.1, from this JVM's own range when it has one. */
    public static synchronized int free() throws IOException {
        Integer fork = Integer.getInteger("jlocust.test.fork");
        if (fork == null || fork < 1) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        int base = FIRST + ((fork - 1) % FORKS) * RANGE;
        for (int tries = 0; tries < RANGE; tries++) {
            int port = base + next;
            next = (next + 1) % RANGE;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException inUse) {
                // taken by something else: the next one
            }
        }
        throw new IOException("no free port in " + base + "-" + (base + RANGE - 1));
    }
}
