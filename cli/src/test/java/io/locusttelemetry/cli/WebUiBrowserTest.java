package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI in a real browser (Debian's chromium through chromedriver, driven by Selenium), as a
 * person uses it: a jlocust master with two Java workers, the start form filled in, a test against
 * nginx whose table and charts fill, its user count edited (the workers follow), stopped, its CSV
 * and report downloaded; the totals equal nginx's access log. Screenshots go to
 * {@code target/web-ui/} for a person to look at.
 */
@Tag(Timing.TAG)
class WebUiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target/web-ui");

    static WebDriver browser(Path profile, Path downloads) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1440,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static void screenshot(WebDriver driver, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aPersonStartsWatchesEditsStopsAndDownloadsATestOnAMasterWithWorkers(@TempDir Path dir) throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int masterPort = Ports.free();
            int webPort = Ports.free();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of("LOCUST_HEADLESS", "false"), "-f",
                    DistributedCliTest.LOCUSTFILE, "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port",
                    String.valueOf(masterPort), "--web-host", "127.0.0.1", "--web-port", String.valueOf(webPort), "--stop-timeout", "3",
                    "--enable-telemetry-recorder", "json", "--testplan", "browser", "--lt-json-output", dir.resolve("telemetry.jsonl").toString());
                 JlocustProcess w1 = JlocustProcess.start(dir, "worker1", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                         "--master-host", "127.0.0.1", "--master-port", String.valueOf(masterPort));
                 JlocustProcess w2 = JlocustProcess.start(dir, "worker2", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                         "--master-host", "127.0.0.1", "--master-port", String.valueOf(masterPort))) {
                String url = "http://127.0.0.1:" + webPort + "/";
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> WebApiClusterTest.curlJson(url + "stats/requests").path("worker_count").asInt() == 2);
                WebDriver driver = browser(dir.resolve("profile"), downloads);
                try {
                    driver.get(url);
                    // the first visit opens the start form
                    WebElement users = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                            .until(() -> driver.findElement(By.id("f-users")), WebElement::isDisplayed);
                    users.clear();
                    users.sendKeys("4");
                    WebElement rate = driver.findElement(By.id("f-rate"));
                    rate.clear();
                    rate.sendKeys("4");
                    WebElement host = driver.findElement(By.id("f-host"));
                    host.clear();
                    host.sendKeys(nginx.url());
                    screenshot(driver, "1-start-form");
                    driver.findElement(By.id("f-submit")).click();

                    await().atMost(Duration.ofSeconds(30)).ignoreException(StaleElementReferenceException.class).until(() -> text(driver, "sum-users").equals("4")
                            && text(driver, "sum-state").equals("running"));
                    await().atMost(Duration.ofSeconds(20)).ignoreException(StaleElementReferenceException.class).until(() -> driver.findElements(By.cssSelector("#stats-table tbody tr")).size() == 2);
                    assertThat(driver.findElement(By.cssSelector("#stats-table tfoot")).getText()).contains("Aggregated");
                    // the telemetry beside the stats: this test's run id and testplan, the json recorder writing locally
                    await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class).until(() -> text(driver, "t-runid").matches("[0-9a-f]{8}"));
                    assertThat(text(driver, "t-testplan")).isEqualTo("browser");
                    assertThat(text(driver, "t-recorders")).contains("json").contains("local").contains("telemetry.jsonl");
                    screenshot(driver, "2-statistics");
                    // the picture of docs/web-ui.md and the README: the table and the telemetry beside it
                    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 520));
                    screenshot(driver, "docs-web-ui");
                    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));

                    driver.findElement(By.cssSelector("button[data-tab=charts]")).click();
                    // every chart fills: its points come every second, the rates once a few seconds are in
                    try {
                        await().atMost(Duration.ofSeconds(60)).ignoreException(StaleElementReferenceException.class).until(() -> chartPoints(driver, "chart-rps") >= 3
                                && maxOf(driver, "chart-rps", 0) > 0 && chartPoints(driver, "chart-rt") >= 3 && percentilesInOrder(driver)
                                && maxOf(driver, "chart-users", 0) == 4);
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError("charts not filled within 60 s: " + ((JavascriptExecutor) driver).executeScript(
                                "return ['chart-rps', 'chart-rt', 'chart-users'].map(id => { const c = Chart.getChart(id);"
                                        + " return id + '=' + (c ? JSON.stringify(c.data.datasets.map(d => d.data)) : 'none'); }).join(' ')"), e);
                    }
                    assertThat(chartPoints(driver, "chart-rt")).isEqualTo(chartPoints(driver, "chart-users"));
                    screenshot(driver, "3-charts");

                    // edit: 6 users, the workers follow with 3 each
                    driver.findElement(By.id("btn-edit")).click();
                    WebElement edit = driver.findElement(By.id("f-users"));
                    edit.clear();
                    edit.sendKeys("6");
                    driver.findElement(By.id("f-submit")).click();
                    driver.findElement(By.cssSelector("button[data-tab=workers]")).click();
                    await().atMost(Duration.ofSeconds(30)).ignoreException(StaleElementReferenceException.class).until(() -> text(driver, "sum-users").equals("6")
                            && workerUsers(driver).equals(List.of("3", "3")));
                    screenshot(driver, "4-workers");

                    driver.findElement(By.id("btn-stop")).click();
                    await().atMost(Duration.ofSeconds(30)).ignoreException(StaleElementReferenceException.class).until(() -> text(driver, "sum-state").equals("stopped"));
                    assertThat(text(driver, "sum-users")).isEqualTo("0");

                    WebApiClusterTest.awaitTotalsMatch(url.replaceAll("/$", ""), nginx);
                    driver.findElement(By.cssSelector("button[data-tab=downloads]")).click();
                    driver.findElement(By.linkText("Request statistics CSV")).click();
                    driver.findElement(By.linkText("HTML report")).click();
                    Path csv = awaitDownload(downloads, "requests.csv");
                    Path report = awaitDownload(downloads, "report.html");
                    long total = WebApiClusterTest.aggregated(Files.readString(csv));
                    assertThat(total).as("the downloaded CSV's total is nginx's log").isEqualTo(nginx.loggedRequests());
                    assertThat(total).isGreaterThan(20);
                    assertThat(Files.readString(report)).contains("Load test report").contains("/java/worker-");
                    screenshot(driver, "5-downloads");
                    driver.findElement(By.cssSelector("button[data-tab=stats]")).click();
                    screenshot(driver, "6-stopped");
                } finally {
                    driver.quit();
                }
            }
        }
    }

    static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText().trim();
    }

    static long chartPoints(WebDriver driver, String canvas) {
        Object n = ((JavascriptExecutor) driver).executeScript(
                "const c = Chart.getChart(arguments[0]); return c ? c.data.datasets[0].data.length : 0;", canvas);
        return ((Number) n).longValue();
    }

    static double maxOf(WebDriver driver, String canvas, int dataset) {
        Object n = ((JavascriptExecutor) driver).executeScript(
                "return Math.max(0, ...Chart.getChart(arguments[0]).data.datasets[arguments[1]].data);", canvas, dataset);
        return ((Number) n).doubleValue();
    }

    /**
     * Every point of the response-time chart has a median and a 95th percentile, neither negative and
     * the median not above the 95th. (Against nginx the median is often 0 ms: a quick machine answers
     * in under a millisecond, so the values themselves say nothing about the chart.)
     */
    static boolean percentilesInOrder(WebDriver driver) {
        Object ok = ((JavascriptExecutor) driver).executeScript(
                "const d = Chart.getChart('chart-rt').data.datasets; const p50 = d[0].data, p95 = d[1].data;"
                        + " return p50.length === p95.length && p50.every((v, i) => Number.isFinite(v) && v >= 0 && v <= p95[i]);");
        return Boolean.TRUE.equals(ok);
    }

    static List<String> workerUsers(WebDriver driver) {
        return driver.findElements(By.cssSelector("#workers-table tbody tr td:nth-child(4)")).stream().map(WebElement::getText).toList();
    }

    static Path awaitDownload(Path downloads, String suffix) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            }
        }, p -> p != null);
    }
}
