package io.locusttelemetry.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page and its static files, from this module's resources and the Chart.js webjar: nothing
 * from a CDN, so the UI works with the network off.
 */
final class Assets {
    private static final String UI = "/io/locusttelemetry/web/ui/";
    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";
    private static final Map<String, String> FILES = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final String basePath;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    Assets(String basePath) {
        this.basePath = basePath;
    }

    /** The page, its {@code <base>} set to the base path so every link and call is relative. */
    Answer index() {
        String html = new String(load(UI + "index.html"), StandardCharsets.UTF_8).replace("{{BASE}}", basePath + "/");
        return new Answer(200, "text/html; charset=utf-8", html);
    }

    Answer asset(String name) {
        if (name.equals("chart.umd.min.js")) {
            return new Answer(200, "text/javascript; charset=utf-8", load(CHART_JS)).cached();
        }
        String type = FILES.get(name);
        if (type == null) {
            return Answer.text(404, "Not found");
        }
        return new Answer(200, type, load(UI + name));
    }

    private byte[] load(String resource) {
        return cache.computeIfAbsent(resource, r -> {
            try (InputStream in = Assets.class.getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + r);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
