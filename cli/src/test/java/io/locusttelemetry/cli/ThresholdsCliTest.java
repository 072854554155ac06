package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.testing.DelayTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Thresholds through the command: each passes or fails exactly at its limit (requests of exactly
 * 250 ms; a target that never answers before its delay), an abort-on-fail threshold stops the test
 * within one evaluation, and the outcomes reach the console, the JUnit XML, the HTML report,
 * {@code --json} and the telemetry.
 */
@Tag(Timing.TAG)
class ThresholdsCliTest {
    private static final String WAITER = "src/test/resources/locustfiles/Waiter.java";
    private static final String EXACT = "src/test/resources/locustfiles/Exact.java";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void thresholdsPassAndFailExactlyAtTheLimit() {
        Jlocust.Result r = Jlocust.run("-f", EXACT, "-u", "4", "-r", "10", "-t", "2s", "--only-summary",
                "--threshold", "custom exact: p50<=250", "--threshold", "custom exact: p50<250", "--threshold", "exact: p99>=250",
                "--threshold", "exact: p99>250", "--threshold", "exact: avg==250", "--threshold", "/fast: max<=10ms,/fast: max<0.01s",
                "--threshold", "p100<=0.25s", "--threshold", "p100<250");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out()).contains("Thresholds: 4 of 9 failed")
                .containsPattern("custom exact: p50<=250 +250 ms +passed +0 ms \\(0%\\)")
                .containsPattern("custom exact: p50<250 +250 ms +FAILED +0 ms \\(0%\\)")
                .containsPattern("exact: p99>=250 +250 ms +passed")
                .containsPattern("exact: p99>250 +250 ms +FAILED")
                .containsPattern("exact: avg==250 +250 ms +passed")
                .containsPattern("/fast: max<=10ms +10 ms +passed")
                .containsPattern("/fast: max<0.01s +10 ms +FAILED")
                .containsPattern("p100<=0.25s +250 ms +passed")
                .containsPattern("p100<250 +250 ms +FAILED");
    }

    @Test
    void againstADelayingTargetTheOutcomesReachEveryReport() throws Exception {
        try (DelayTarget target = DelayTarget.start(300)) {
            Path xml = dir.resolve("load.xml");
            Path html = dir.resolve("report.html");
            Path telemetry = dir.resolve("telemetry.jsonl");
            // the target never answers faster than its delay: these sides of the limit are exact whatever the machine's load
            Jlocust.Result r = Jlocust.run("-f", WAITER, "-H", target.url(), "-u", "5", "-r", "10", "-t", "3s", "--only-summary",
                    "--threshold", "p50>=300", "--threshold", "p50<300", "--threshold", "GET /wait: min>=300",
                    "--threshold", "/wait: min<300,max<300", "--threshold", "failures==0", "--threshold", "GET /nowhere: p95<300",
                    "--junit-xml", xml.toString(), "--html", html.toString(),
                    "--testplan", "slo", "--enable-telemetry-recorder", "json", "--lt-json-output", telemetry.toString());
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(r.out()).contains("Thresholds: 4 of 7 failed")
                    .containsPattern("p50>=300 +\\d+ ms +passed +\\+?\\d+ ms")
                    .containsPattern("p50<300 +\\d+ ms +FAILED +-?\\d+ ms")
                    .containsPattern("GET /wait: min>=300 +\\d+(\\.\\d+)? ms +passed")
                    .containsPattern("/wait: min<300 +\\d+(\\.\\d+)? ms +FAILED")
                    .containsPattern("max<300 +\\d+(\\.\\d+)? ms +FAILED")
                    .containsPattern("failures==0 +0 +passed +0")
                    .containsPattern("GET /nowhere: p95<300 +no data +FAILED +no requests named 'GET /nowhere'");

            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
            Element suite = doc.getDocumentElement();
            assertThat(suite.getTagName()).isEqualTo("testsuite");
            assertThat(suite.getAttribute("name")).isEqualTo("jlocust.Waiter");
            assertThat(suite.getAttribute("tests")).isEqualTo("7");
            assertThat(suite.getAttribute("failures")).isEqualTo("4");
            assertThat(Double.parseDouble(suite.getAttribute("time"))).isBetween(2.5, 30.0);
            NodeList cases = suite.getElementsByTagName("testcase");
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                assertThat(c.getAttribute("classname")).isEqualTo("jlocust.Waiter");
                NodeList f = c.getElementsByTagName("failure");
                if (f.getLength() > 0) {
                    failed.add(c.getAttribute("name") + " | " + ((Element) f.item(0)).getAttribute("message"));
                }
            }
            assertThat(failed).hasSize(4).anyMatch(f -> f.matches("p50<300 \\| p50<300 failed: \\d+ ms \\(limit < 300 ms, margin -?\\d+ ms.*"))
                    .anyMatch(f -> f.startsWith("max<300 | max<300 failed"))
                    .anyMatch(f -> f.equals("GET /nowhere: p95<300 | GET /nowhere: p95<300 failed: no requests named 'GET /nowhere'"));

            String report = Files.readString(html);
            assertThat(report).contains("<h2>Service level objectives</h2>").contains("data-failed=\"4\"")
                    .containsPattern("<tr class=\"passed\"><td class=\"l\">p50&gt;=300</td><td>\\d+ ms</td><td>&gt;= 300 ms</td>"
                            + "<td class=\"result\">passed</td><td>\\+?\\d+ ms \\(\\+?\\d+%\\)</td></tr>")
                    .contains("<tr class=\"failed\"><td class=\"l\">GET /nowhere: p95&lt;300</td><td>no data</td>");

            JsonNode event = null;
            for (String line : Files.readAllLines(telemetry)) {
                JsonNode t = JSON.readTree(line).get("telemetry");
                if (t.get("telemetry_name").asText().equals("locust.tl.event.thresholds")) {
                    event = t;
                }
            }
            assertThat(event).as("the thresholds event").isNotNull();
            assertThat(event.get("telemetry_type").asText()).isEqualTo("event");
            assertThat(event.get("passed").asBoolean()).isFalse();
            assertThat(event.get("failed").asInt()).isEqualTo(4);
            assertThat(event.get("thresholds")).hasSize(7);
            JsonNode first = event.get("thresholds").get(0);
            assertThat(first.get("threshold").asText()).isEqualTo("p50>=300");
            assertThat(first.get("measured").asDouble()).isGreaterThanOrEqualTo(300.0);
            assertThat(first.get("margin").asDouble()).isEqualTo(first.get("measured").asDouble() - 300);
            assertThat(first.get("passed").asBoolean()).isTrue();
        }
    }

    @Test
    void abortOnFailStopsTheTestAtTheFirstFailingEvaluationAfterItsDelay() throws Exception {
        try (DelayTarget target = DelayTarget.start(1000)) {
            Path xml = dir.resolve("abort.xml");
            Jlocust.Result r = Jlocust.run("-f", WAITER, "-H", target.url(), "-u", "5", "-r", "10", "-t", "60s", "--only-summary",
                    "--threshold", "p50<500 abort-on-fail", "--junit-xml", xml.toString());
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            // the first evaluation, at 2 s, sees the first answers (1 s): the run ends there, not at 60 s
            double seconds = runTime(xml);
            assertThat(seconds).isBetween(1.9, 2.0 + 2 * 1.5);
            assertThat(r.out()).contains("stopped the test (abort-on-fail)");

            Jlocust.Result delayed = Jlocust.run("-f", WAITER, "-H", target.url(), "-u", "5", "-r", "10", "-t", "60s", "--only-summary",
                    "--threshold", "p50<500 abort-on-fail delay=5s", "--junit-xml", xml.toString());
            assertThat(delayed.exitCode()).as(delayed.err()).isEqualTo(3);
            // evaluations at 2 and 4 s fail but wait for the delay; the one at 6 s stops it
            assertThat(runTime(xml)).isBetween(5.7, 6.0 + 1.5);
        }
    }

    @Test
    void aMalformedThresholdIsOneLineAndExitTwoBeforeAnyUserStarts() throws Exception {
        try (DelayTarget target = DelayTarget.start(0)) {
            Jlocust.Result r = Jlocust.run("-f", WAITER, "-H", target.url(), "-t", "5s", "--threshold", "fail_ratio<1%",
                    "--threshold", "p95<");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("--threshold 'p95<': expected a number at column 5");
            Jlocust.Result conf = Jlocust.run(java.util.Map.of("LOCUST_THRESHOLD", "GET /cart: p99<800ms abort-on-fail delay=ten"),
                    "-f", WAITER, "-H", target.url(), "-t", "5s");
            assertThat(conf.exitCode()).isEqualTo(2);
            assertThat(conf.err().strip()).isEqualTo("--threshold 'GET /cart: p99<800ms abort-on-fail delay=ten': expected a duration "
                    + "such as 10s, 500ms or 2m after delay= at column 42");
            assertThat(target.served()).isZero();
        }
    }

    @Test
    void theCheckGatesAreThresholdsWithTheirOldMeaning() throws Exception {
        try (DelayTarget target = DelayTarget.start(20)) {
            Jlocust.Result r = Jlocust.run("-f", WAITER, "-H", target.url(), "-u", "2", "-t", "2s", "--only-summary", "--json",
                    "--check-fail-ratio", "0", "--check-avg-response-time", "5000", "--check-rps", "1000000");
            assertThat(r.exitCode()).isEqualTo(3);
            JsonNode out = JSON.readTree(r.out());
            assertThat(out.get("stats").get(0).get("name").asText()).isEqualTo("/wait");
            assertThat(out.get("passed").asBoolean()).isFalse();
            List<String> results = new ArrayList<>();
            out.get("thresholds").forEach(t -> results.add(t.get("threshold").asText() + " " + t.get("passed").asBoolean()));
            assertThat(results).containsExactly("fail_ratio<=0 true", "avg<=5000 true", "rps>=1000000 false");
        }
    }

    private static double runTime(Path junitXml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junitXml.toFile());
        return Double.parseDouble(doc.getDocumentElement().getAttribute("time"));
    }
}
