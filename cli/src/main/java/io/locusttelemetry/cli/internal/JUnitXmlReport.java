package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code --junit-xml}: the run as a JUnit XML test suite in the form Surefire writes and CI servers
 * read ({@code testsuite} with {@code tests}/{@code failures}/{@code errors}/{@code skipped}/{@code time},
 * {@code testcase} with {@code classname} and {@code name}, {@code failure} with {@code message} and
 * {@code type}): one test case per threshold, or "no request failed" when there is none, and one
 * per endpoint compared with {@code --max-regression}.
 *
 * <p>Names come from users' code: characters XML 1.0 cannot hold (control characters, unpaired
 * surrogates) are written escaped, as in the console tables, so the file always parses.
 */
public final class JUnitXmlReport {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One test case: a name and, when it did not pass, a failure or a reason it was skipped. */
    private record Case(String name, String failure, String failureType, String details, String skipped) {}

    private JUnitXmlReport() {}

    public static void write(Path file, String suite, Instant started, double seconds, Map<String, String> properties, Verdict verdict,
                             StatsSnapshot stats, List<Runner.ExceptionRecord> exceptions, List<String> output) throws IOException {
        String xml = render(suite, started, seconds, properties, verdict, stats, exceptions, output);
        try (Writer w = ReportFiles.writer(file)) {
            w.write(xml);
        }
    }

    public static String render(String suite, Instant started, double seconds, Map<String, String> properties, Verdict verdict,
                                StatsSnapshot stats, List<Runner.ExceptionRecord> exceptions, List<String> output) {
        List<Case> cases = cases(verdict, stats, exceptions);
        String classname = "jlocust." + xml(suite);
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", classname);
            x.writeAttribute("tests", String.valueOf(cases.size()));
            x.writeAttribute("failures", String.valueOf(cases.stream().filter(c -> c.failure() != null).count()));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", String.valueOf(cases.stream().filter(c -> c.skipped() != null).count()));
            x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", seconds));
            x.writeAttribute("timestamp", TIMESTAMP.format(started.truncatedTo(ChronoUnit.SECONDS)));
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            for (Map.Entry<String, String> p : properties.entrySet()) {
                if (p.getValue() != null && !p.getValue().isEmpty()) {
                    x.writeCharacters("\n    ");
                    x.writeEmptyElement("property");
                    x.writeAttribute("name", xml(p.getKey()));
                    x.writeAttribute("value", xml(p.getValue()));
                }
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            for (Case c : cases) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("name", xml(c.name()));
                x.writeAttribute("classname", classname);
                x.writeAttribute("time", "0");
                if (c.failure() != null) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", xml(c.failure()));
                    x.writeAttribute("type", c.failureType());
                    x.writeCharacters(xml(c.details()));
                    x.writeEndElement();
                } else if (c.skipped() != null) {
                    x.writeEmptyElement("skipped");
                    x.writeAttribute("message", xml(c.skipped()));
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeStartElement("system-out");
            x.writeCharacters(xml(String.join("\n", output)));
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.append('\n').toString();
    }

    private static List<Case> cases(Verdict verdict, StatsSnapshot stats, List<Runner.ExceptionRecord> exceptions) {
        List<Case> cases = new ArrayList<>();
        for (ThresholdOutcome o : verdict.thresholds()) {
            String failure = null;
            if (!o.passed()) {
                failure = o.summary() + (verdict.stopped(o) ? "; it stopped the test early (abort-on-fail)" : "");
            }
            String details = "measured " + o.measuredText() + ", limit " + o.threshold().limitText()
                    + (o.measured() == null ? ": " + o.problem() : ", margin " + o.marginText());
            cases.add(new Case(o.threshold().text(), failure, "threshold", details, null));
        }
        if (verdict.thresholds().isEmpty()) {
            long failures = stats.total().numFailures();
            String failure = null;
            String details = "";
            if (failures > 0 || !exceptions.isEmpty()) {
                failure = failures + " of " + stats.total().numRequests() + " requests failed"
                        + (exceptions.isEmpty() ? "" : ", " + exceptions.size() + " kinds of exceptions in tasks");
                StringBuilder sb = new StringBuilder();
                stats.errors().forEach(e -> sb.append(e.occurrences()).append("x ").append(e.method()).append(' ').append(e.name())
                        .append(": ").append(e.error()).append('\n'));
                exceptions.forEach(e -> sb.append(e.count()).append("x ").append(e.message()).append('\n'));
                details = sb.toString();
            }
            cases.add(new Case("no request failed", failure, "request failures", details, null));
        }
        if (verdict.comparison() != null && verdict.maxRegression() != null) {
            String limit = Verdict.percent(verdict.maxRegression());
            for (StatsComparison.Row row : verdict.comparison().rows()) {
                if (row.baseline() == null || row.current() == null) {
                    continue;
                }
                String name = row.label() + ": no regression over " + limit;
                if (row.baseline().requests() < StatsComparison.MIN_REQUESTS || row.current().requests() < StatsComparison.MIN_REQUESTS) {
                    cases.add(new Case(name, null, null, null, "fewer than " + StatsComparison.MIN_REQUESTS + " requests in a run"));
                    continue;
                }
                List<String> lines = verdict.regressions().stream().filter(r -> r.row().equals(row))
                        .map(StatsComparison.Regression::summary).toList();
                cases.add(new Case(name, lines.isEmpty() ? null : String.join("; ", lines), "regression", String.join("\n", lines), null));
            }
        }
        return cases;
    }

    /** Text XML 1.0 can hold: control characters (but tab and newline) escaped, unpaired surrogates replaced. */
    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (String line : Text.wellFormed(s).split("\n", -1)) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(Text.escapeControl(line.replace("\t", "    ")).replace("\uFFFE", "\uFFFD").replace("\uFFFF", "\uFFFD"));
        }
        return sb.toString();
    }
}
