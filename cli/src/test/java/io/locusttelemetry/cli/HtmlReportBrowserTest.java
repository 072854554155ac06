package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report of a real demo run in headless Chromium with the network disabled: the
 * charts must render with data points and the totals must equal the console table's.
 */
class HtmlReportBrowserTest {

    static String chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new AssertionError("chromium is not installed: run apt-get install -y chromium (./run-tests does)");
    }

    static List<String> chromiumArgs(Path profile) {
        return new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                "--virtual-time-budget=5000", "--window-size=1300,1700"));
    }

    @Test
    void reportRendersChartsAndTheRunsNumbers(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        Jlocust.Result r = Jlocust.run("demo", "-t", "6s", "-u", "20", "-r", "20", "--html", report.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        String html = Files.readString(report);
        assertThat(html).doesNotContain("http://cdn").doesNotContain("src=\"http");

        List<String> dump = chromiumArgs(dir.resolve("profile1"));
        dump.add("--dump-dom");
        dump.add(report.toUri().toString());
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dom).contains("data-rendered=\"true\"");
        for (String chart : List.of("chart-rps", "chart-rt", "chart-users")) {
            Matcher m = Pattern.compile("id=\"" + chart + "\"[^>]*data-points=\"(\\d+)\"").matcher(dom);
            assertThat(m.find()).as(chart + " rendered").isTrue();
            assertThat(Integer.parseInt(m.group(1))).as(chart + " data points").isGreaterThanOrEqualTo(3);
        }

        // the report's total equals the console's final table
        Matcher console = Pattern.compile("\\n\\s+Aggregated\\s+(\\d+)\\s+(\\d+)\\(").matcher(r.out());
        String consoleTotal = null;
        while (console.find()) {
            consoleTotal = console.group(1);
        }
        assertThat(consoleTotal).isNotNull();
        Matcher row = Pattern.compile("<tr class=\"total\"><td class=\"l\"></td><td class=\"l\">Aggregated</td><td>(\\d+)</td>").matcher(html);
        assertThat(row.find()).isTrue();
        assertThat(row.group(1)).isEqualTo(consoleTotal);

        Path shot = Path.of("target", "html-report.png");
        Files.createDirectories(shot.getParent());
        List<String> screenshot = chromiumArgs(dir.resolve("profile2"));
        screenshot.add("--screenshot=" + shot.toAbsolutePath());
        screenshot.add(report.toUri().toString());
        Process s = new ProcessBuilder(screenshot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(s.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }
}
