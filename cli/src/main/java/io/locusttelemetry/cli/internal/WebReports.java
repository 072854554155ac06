package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.web.RunReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The web UI's downloads, made by the writers of {@code --csv}, {@code --html} and {@code --json}: one home for each format. */
public final class WebReports implements RunReports {
    private final Environment env;
    private final Supplier<Map<String, String>> parameters;

    /** @param parameters the current test's parameters for the HTML report */
    public WebReports(Environment env, Supplier<Map<String, String>> parameters) {
        this.env = env;
        this.parameters = parameters;
    }

    @Override
    public String requestsCsv() {
        return CsvReport.stats(env.stats().snapshot());
    }

    @Override
    public String failuresCsv() {
        return CsvReport.failures(env.stats().snapshot());
    }

    @Override
    public String exceptionsCsv() {
        return CsvReport.exceptions(env.runner().exceptions());
    }

    @Override
    public String historyCsv() {
        return CsvReport.history(env.statsHistory().points());
    }

    @Override
    public String htmlReport() {
        try {
            return HtmlReport.render(new LinkedHashMap<>(parameters.get()), env.stats().snapshot(), env.statsHistory().points(),
                    env.runner().exceptions());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String json() {
        return Text.wellFormed(JsonStats.render(env.stats().fullSnapshot()));
    }
}
