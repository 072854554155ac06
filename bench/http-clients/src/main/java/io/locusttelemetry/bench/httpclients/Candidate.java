package io.locusttelemetry.bench.httpclients;

import java.net.URI;

/** A client set-up under test: owns whatever is shared between users (pools, selectors). */
interface Candidate extends AutoCloseable {

    /** Creates the client for user {@code index}; called on that user's virtual thread. */
    UserClient newUser(int index) throws Exception;

    /** One line describing the configuration, printed with the result. */
    String describe();

    @Override
    default void close() throws Exception {
    }

    static Candidate create(String name, URI uri, int users) throws Exception {
        return switch (name) {
            case "jdk" -> new JdkCandidate(uri, false);
            case "jdk-direct" -> new JdkCandidate(uri, true);
            case "apache-pool" -> new ApacheCandidates.Pooled(uri, users, false);
            case "apache-pool-no-timeout" -> new ApacheCandidates.Pooled(uri, users, true);
            case "apache-per-user" -> new ApacheCandidates.PerUser(uri);
            case "jetty" -> new JettyCandidate(uri, users, false);
            case "jetty-vt" -> new JettyCandidate(uri, users, true);
            case "raw-socket" -> new RawSocketCandidate(uri, 30_000);
            case "raw-socket-no-timeout" -> new RawSocketCandidate(uri, 0);
            default -> throw new IllegalArgumentException("unknown candidate: " + name
                    + " (known: " + String.join(" ", NAMES) + ")");
        };
    }

    String[] NAMES = {
        "jdk", "jdk-direct", "apache-pool", "apache-pool-no-timeout", "apache-per-user", "jetty",
        "jetty-vt", "raw-socket", "raw-socket-no-timeout"
    };
}
