package io.locusttelemetry.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.Weight;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Talks to a web UI as a Locust user's script does: form POSTs and GETs, JSON answers. */
final class WebTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Hits nginx's index as fast as it answers. */
    public static class IndexUser extends HttpUser {
        @Task
        void index() {
            client.get("/");
        }
    }

    /** A second class, to choose between. */
    @Weight(3)
    public static class OtherUser extends HttpUser {
        @Task
        void other() {
            client.get("/other", r -> r.name("/other"));
        }
    }

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static String form(List<Map.Entry<String, String>> fields) {
        return fields.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static Answer post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    static Answer get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    /** Reports that say which test they describe: the web module serves what the command gives it. */
    static RunReports reportsOf(io.locusttelemetry.engine.Environment env) {
        return new RunReports() {
            public String requestsCsv() {
                return "Type,Name,Request Count\r\n,Aggregated," + env.stats().snapshot().total().numRequests() + "\r\n";
            }

            public String failuresCsv() {
                return "Method,Name,Error,Occurrences\r\n";
            }

            public String exceptionsCsv() {
                return "Count,Message,Traceback,Nodes\r\n";
            }

            public String historyCsv() {
                return "Timestamp\r\n";
            }

            public String htmlReport() {
                return "<!DOCTYPE html><title>report</title>";
            }

            public String json() {
                return "[]";
            }
        };
    }

    private WebTestSupport() {}
}
