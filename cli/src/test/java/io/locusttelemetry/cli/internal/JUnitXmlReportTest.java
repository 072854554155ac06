package io.locusttelemetry.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.ThresholdExpression;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The JUnit XML report with request names, errors and parameters as hostile as code makes them:
 * it always parses (JDK's parser and Surefire's report reader) with the right counts.
 */
class JUnitXmlReportTest {
    private static final String[] HOSTILE = {"<&>\"'", "]]>", "two\nlines\r\n", "\u0000nul", "\u001b[31mred", "\uD800 lone",
        "\uDC00", "\uFFFE\uFFFF", "\u0085\u2028", "名前 é \uD83D\uDE00", "\t", "--><!--", "&amp;", "<![CDATA[x]]>"};

    @Test
    void hostileNamesAlwaysGiveAFileBothReadersParse() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 200; round++) {
            RequestStats stats = new RequestStats();
            List<ThresholdExpression> thresholds = new ArrayList<>();
            int names = 1 + rnd.nextInt(4);
            for (int i = 0; i < names; i++) {
                String name = HOSTILE[rnd.nextInt(HOSTILE.length)] + (char) rnd.nextInt(0x10000) + i;
                stats.logRequest("GET", name, 1000, 1, rnd.nextBoolean() ? HOSTILE[rnd.nextInt(HOSTILE.length)] : null);
                String printable = name.replaceAll("[\\p{Cntrl}\\u2028\\u2029\"]", "x").strip();
                if (!printable.isEmpty() && !printable.contains(",") && !printable.contains(":")) {
                    try {
                        thresholds.add(ThresholdExpression.parse("GET " + printable + ": p50<" + rnd.nextInt(3)));
                    } catch (IllegalArgumentException ignored) {
                        // not every random name makes a threshold: the parser's own test covers that
                    }
                }
            }
            StatsSnapshot snapshot = stats.snapshot();
            Verdict verdict = Verdict.of(thresholds, null, rnd.nextBoolean() ? snapshot : null, 10.0, snapshot);
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("Locustfile", HOSTILE[rnd.nextInt(HOSTILE.length)]);
            parameters.put(HOSTILE[rnd.nextInt(HOSTILE.length)], HOSTILE[rnd.nextInt(HOSTILE.length)]);
            String xml = JUnitXmlReport.render(FinalReport.suiteName(parameters), Instant.now(), 1.5, parameters, verdict, snapshot,
                    List.of(), List.of(HOSTILE));
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(bytes))
                    .getDocumentElement();
            int cases = suite.getElementsByTagName("testcase").getLength();
            assertThat(suite.getAttribute("tests")).as("seed %d", seed).isEqualTo(String.valueOf(cases));
            TestSuiteXmlParser parser = new TestSuiteXmlParser(new NullConsoleLogger());
            List<ReportTestSuite> suites = parser.parse(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
            assertThat(suites).as("seed %d", seed).hasSize(1);
            assertThat(suites.get(0).getNumberOfTests()).isEqualTo(cases);
            assertThat(suites.get(0).getNumberOfFailures()).isEqualTo(suite.getElementsByTagName("failure").getLength());
        }
    }

    @Test
    void withoutThresholdsOneCaseSaysWhetherARequestFailed() throws Exception {
        RequestStats stats = new RequestStats();
        stats.logRequest("GET", "/a", 1000, 1);
        String ok = JUnitXmlReport.render("Shop", Instant.now(), 3, Map.of(), Verdict.none(), stats.snapshot(), List.of(), List.of());
        assertThat(ok).contains("<testsuite name=\"jlocust.Shop\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"3.000\"")
                .contains("<testcase name=\"no request failed\" classname=\"jlocust.Shop\" time=\"0\"></testcase>");
        stats.logRequest("GET", "/a", 1000, 1, "HTTP 503");
        String failed = JUnitXmlReport.render("Shop", Instant.now(), 3, Map.of(), Verdict.none(), stats.snapshot(), List.of(), List.of());
        assertThat(failed).contains("failures=\"1\"")
                .contains("<failure message=\"1 of 2 requests failed\" type=\"request failures\">1x GET /a: HTTP 503\n</failure>");
    }
}
