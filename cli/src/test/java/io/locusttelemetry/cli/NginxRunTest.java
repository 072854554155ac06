package io.locusttelemetry.cli;

import io.locusttelemetry.testing.Nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A headless run of an example locustfile against a real nginx: our count equals nginx's log. */
class NginxRunTest {

    @Test
    void csvRequestCountEqualsNginxAccessLog(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", "../examples/locustfiles/QuickUser.java", "--headless", "-u", "10", "-r", "20",
                    "-t", "4s", "-H", nginx.url(), "--csv", prefix, "--only-summary");
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(0);
            List<String> stats = Files.readAllLines(Path.of(prefix + "_stats.csv"));
            assertThat(stats.get(0)).startsWith("Type,Name,Request Count,Failure Count,Median Response Time");
            String total = stats.stream().filter(l -> l.startsWith(",Aggregated,")).findFirst().orElseThrow();
            long requests = Long.parseLong(total.split(",")[2]);
            assertThat(requests).isGreaterThan(100);
            assertThat(nginx.loggedRequests()).isEqualTo(requests);
            assertThat(stats).anyMatch(l -> l.startsWith("GET,/checkout/cart,"));
            assertThat(stats).anyMatch(l -> l.startsWith("GET,health,"));
            assertThat(Files.readAllLines(Path.of(prefix + "_failures.csv")).get(0)).isEqualTo("Method,Name,Error,Occurrences");
            assertThat(Files.readAllLines(Path.of(prefix + "_exceptions.csv")).get(0)).isEqualTo("Count,Message,Traceback,Nodes");
            List<String> history = Files.readAllLines(Path.of(prefix + "_stats_history.csv"));
            assertThat(history.get(0)).startsWith("Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%");
            assertThat(history.size()).isGreaterThan(2);
            assertThat(r.out()).contains("Response time percentiles (approximated)").contains("Aggregated");
        }
    }

    @Test
    void tagsSelectTasks(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            String prefix = dir.resolve("tags").toString();
            Jlocust.Result r = Jlocust.run("-f", "../examples/locustfiles/QuickUser.java", "-u", "3", "-r", "10", "-t", "2s",
                    "-H", nginx.url(), "--csv", prefix, "--tags", "health", "--only-summary");
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(0);
            List<String> rows = Files.readAllLines(Path.of(prefix + "_stats.csv"));
            assertThat(rows).hasSize(3);
            assertThat(rows.get(1)).startsWith("GET,health,");
        }
    }
}
