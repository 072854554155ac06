package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Timespan;
import io.locusttelemetry.engine.UrlRedaction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parameters of one test as its HTML report shows them: when, what, against which host, how many users. */
public final class RunParameters {
    /** How the reports print times. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private RunParameters() {}

    /**
     * @param host           the host loaded, or null for each user class's own
     * @param runTimeSeconds 0 for none
     */
    public static Map<String, String> of(Environment env, String locustfile, String host, int users, double spawnRate,
            long runTimeSeconds) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Started", TIME.format(Instant.now()));
        p.put("Locustfile", locustfile);
        p.put("User classes", String.join(", ", env.userClasses().stream().map(Class::getSimpleName).toList()));
        p.put("Host", host == null ? "(per user class)" : UrlRedaction.redact(host));
        p.put("Users", env.shape() != null ? "load shape " + env.shape().getClass().getSimpleName() : String.valueOf(users));
        p.put("Spawn rate", env.shape() != null ? "" : String.valueOf(spawnRate));
        p.put("Run time", runTimeSeconds > 0 ? Timespan.format(runTimeSeconds) : "until stopped");
        return p;
    }
}
