package io.locusttelemetry.web.internal;

import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Timespan;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.engine.http.HttpSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked {@code POST /swarm}: Locust's fields {@code user_count}, {@code spawn_rate}, {@code host},
 * {@code run_time} and {@code user_classes} (repeated), jlocust's {@code weight_<UserClass>}, and the
 * options marked {@link OptionSpec#webUi()} by their {@code dest} (e.g. {@code testplan}, {@code run_id}).
 * Any value that is not what its field takes is a {@link BadRequest} naming the field; fields of
 * other names are ignored, as Locust ignores them.
 *
 * @param users          the user count, or null when not given (a load shape needs none)
 * @param spawnRate      users per second, or null when not given
 * @param host           the host to load, or null to keep the one set
 * @param runTimeSeconds seconds until the test stops, or null for none
 * @param weights        the chosen user classes with their weights, or null when none were chosen
 * @param options        the run's options with the form's values applied
 */
public record Swarm(Integer users, Double spawnRate, String host, Long runTimeSeconds, Map<String, Integer> weights,
        ParsedOptions options) {

    static final int MAX_USERS = 10_000_000;
    static final double MAX_SPAWN_RATE = 1_000_000;
    static final int MAX_TEXT = 2048;
    static final String WEIGHT_PREFIX = "weight_";

    /**
     * @param classes   the user classes there are, by name, with their declared weights
     * @param formOptions the options the form may set
     * @param current   the run's options now
     */
    public static Swarm parse(FormBody form, Map<String, Integer> classes, List<OptionSpec> formOptions, ParsedOptions current) {
        Integer users = form.has("user_count") ? whole(form.first("user_count"), "user_count", 0, MAX_USERS) : null;
        Double rate = null;
        if (form.has("spawn_rate")) {
            String v = text(form.first("spawn_rate"), "spawn_rate").trim();
            try {
                rate = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new BadRequest("spawn_rate must be a number of users per second above 0, not '" + shown(v) + "'");
            }
            if (!(rate > 0) || rate > MAX_SPAWN_RATE || rate.isNaN()) {
                throw new BadRequest("spawn_rate must be above 0 and at most " + (long) MAX_SPAWN_RATE + ", not " + shown(v));
            }
        }
        String host = form.has("host") ? text(form.first("host"), "host").trim() : null;
        if (host != null && host.isEmpty()) {
            host = null;
        } else if (host != null && !HttpSession.isHttpUrl(host)) {
            throw new BadRequest("host must be an http or https URL such as http://localhost:8080, not '"
                    + shown(UrlRedaction.redact(host)) + "'");
        }
        Long runTime = null;
        String rt = form.has("run_time") ? text(form.first("run_time"), "run_time").trim() : "";
        if (!rt.isEmpty()) {
            try {
                runTime = Timespan.parseSeconds(rt, "run_time");
            } catch (IllegalArgumentException e) {
                throw new BadRequest("Invalid run_time '" + shown(rt) + "': valid formats are 20, 20s, 3m, 2h, 1h20m, 3h30m10s");
            }
            if (runTime <= 0) {
                throw new BadRequest("run_time must be above 0 seconds, not '" + shown(rt) + "'");
            }
        }
        Map<String, Integer> weights = null;
        List<String> chosen = form.all("user_classes");
        if (!chosen.isEmpty()) {
            weights = new LinkedHashMap<>();
            for (String name : chosen) {
                text(name, "user_classes");
                if (!classes.containsKey(name)) {
                    throw new BadRequest("unknown user class '" + shown(name) + "' (there are: " + String.join(", ", classes.keySet()) + ")");
                }
                String w = form.first(WEIGHT_PREFIX + name);
                weights.put(name, w == null || w.isBlank() ? classes.get(name) : whole(w, WEIGHT_PREFIX + name, 0, 1_000_000));
            }
        }
        ParsedOptions options = current;
        for (OptionSpec spec : formOptions) {
            if (form.has(spec.dest())) {
                options = options.with(spec.dest(), value(spec, text(form.first(spec.dest()), spec.dest()).trim()));
            }
        }
        return new Swarm(users, rate, host, runTime, weights, options);
    }

    /** A form option's value as its type takes it; blank is "not set". */
    private static Object value(OptionSpec spec, String v) {
        if (v.isEmpty()) {
            return spec.defaultValue();
        }
        Class<?> type = spec.type();
        try {
            if (type == Integer.class || type == Long.class) {
                long n = Long.parseLong(v);
                if (spec.range() != null && !spec.range().contains(n) || type == Integer.class && (int) n != n) {
                    throw new BadRequest(spec.dest() + " is out of range: " + shown(v));
                }
                return type == Integer.class ? (Object) (int) n : (Object) n;
            }
            if (type == Double.class) {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw new BadRequest(spec.dest() + " must be a number, not '" + shown(v) + "'");
        }
        if (type == Boolean.class) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new BadRequest(spec.dest() + " must be true or false, not '" + shown(v) + "'");
            }
            return Boolean.parseBoolean(v);
        }
        if (type == List.class) {
            return List.of(v.split(","));
        }
        return v;
    }

    private static int whole(String raw, String field, int min, int max) {
        String v = text(raw, field).trim();
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest(field + " must be a whole number, not '" + shown(v) + "'");
        }
        if (n < min || n > max) {
            throw new BadRequest(field + " must be from " + min + " to " + max + ", not " + n);
        }
        return (int) n;
    }

    /** A field's text: bounded, without control characters. */
    private static String text(String v, String field) {
        if (v == null) {
            return "";
        }
        if (v.length() > MAX_TEXT) {
            throw new BadRequest(field + " is longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') {
                throw new BadRequest(field + " contains a control character");
            }
        }
        return v;
    }

    /** A value as a message quotes it: at most 80 characters. */
    static String shown(String v) {
        return v.length() > 80 ? v.substring(0, 77) + "..." : v;
    }
}
