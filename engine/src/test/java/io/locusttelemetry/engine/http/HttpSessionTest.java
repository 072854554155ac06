package io.locusttelemetry.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.TestSupport;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP client of {@link HttpUser} against a real server on 127.0.0.1. */
class HttpSessionTest {

    /** A user whose client the test drives directly. */
    public static class Client extends HttpUser {
        HttpSession http() {
            return client;
        }
    }

    private static TestHttpServer server;
    private Environment env;
    private final List<RequestEvent> events = new CopyOnWriteArrayList<>();
    private final List<Client> users = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = new TestHttpServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void setUp() {
        server.clear();
        env = Environment.builder().userClasses(Client.class).build();
        env.events().request.addListener(events::add);
    }

    @AfterEach
    void closeUsers() {
        users.forEach(TestSupport::close);
    }

    private HttpSession newClient() {
        return newClient(server.baseUrl());
    }

    private HttpSession newClient(String host) {
        Client user = TestSupport.attach(new Client(), env, host);
        users.add(user);
        return user.http();
    }

    private EntrySnapshot entry(String method, String name) {
        StatsSnapshot s = env.stats().snapshot();
        return s.entries().stream().filter(e -> e.name().equals(name) && e.method().equals(method)).findFirst()
                .orElseThrow(() -> new AssertionError("no stats entry " + method + " " + name + " in "
                        + s.entries().stream().map(e -> e.method() + " " + e.name()).toList()));
    }

    private List<String> errorTexts() {
        return env.stats().snapshot().errors().stream().map(ErrorSnapshot::error).toList();
    }

    @Test
    void http2WithoutItsModuleOnTheClassPathSaysWhichModuleIsMissing() {
        // the engine's own tests run without the http2 module
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> newClient().http2())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HTTP/2 needs jlocust's http2 module (io.locusttelemetry:http2) on the class path");
    }

    @Test
    void everyMethodReachesTheServerWithItsBody() {
        HttpSession client = newClient();

        assertThat(client.get("/echo").status()).isEqualTo(200);
        HttpResponse post = client.post("/echo", r -> r.body("created", "text/plain"));
        HttpResponse put = client.put("/echo", r -> r.body("replaced", "text/plain"));
        HttpResponse patch = client.patch("/echo", r -> r.body("patched", "text/plain"));
        HttpResponse delete = client.delete("/echo");
        HttpResponse head = client.head("/fixed");
        HttpResponse afterHead = client.get("/fixed");

        assertThat(server.received()).extracting(TestHttpServer.Received::method)
                .containsExactly("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "GET");
        assertThat(server.received()).extracting(TestHttpServer.Received::bodyText)
                .containsExactly("", "created", "replaced", "patched", "", "", "");
        assertThat(post.text()).isEqualTo("created");
        assertThat(put.header("X-Method")).isEqualTo("PUT");
        assertThat(patch.text()).isEqualTo("patched");
        assertThat(delete.status()).isEqualTo(200);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("1234");
        assertThat(head.length()).as("HEAD has no body").isZero();
        assertThat(afterHead.length()).isEqualTo(1234);
        assertThat(server.received()).extracting(TestHttpServer.Received::clientPort).containsOnly(server.last().clientPort());

        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            assertThat(entry(method, "/echo").numRequests()).isEqualTo(1);
        }
        assertThat(entry("HEAD", "/fixed").numRequests()).isEqualTo(1);
        assertThat(env.stats().snapshot().total().numFailures()).isZero();
    }

    @Test
    void requestAndResponseHeaders() {
        HttpSession client = newClient();
        HttpResponse r = client.get("/headers", o -> o.header("X-Test", "one").headers(Map.of("X-Other", "two")));

        TestHttpServer.Received got = server.last();
        assertThat(got.header("X-Test")).isEqualTo("one");
        assertThat(got.header("X-Other")).isEqualTo("two");
        assertThat(got.header("Host")).isEqualTo(server.baseUrl().substring("http://".length()));
        assertThat(got.header("User-Agent")).isNotBlank();
        assertThat(r.header("x-reply")).isEqualTo("yes");
        assertThat(r.headers().get("x-multi")).containsExactly("1", "2");

        client.get("/headers", o -> o.header("User-Agent", "mine/1.0"));
        assertThat(server.last().headers().get("User-Agent")).containsExactly("mine/1.0");
    }

    @Test
    void aTracersTraceparentIsWrittenIntoTheRequestAndOnlyThatRequest() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        env.tracer(new io.locusttelemetry.engine.RequestTracer() {
            @Override
            public Object taskStarted(io.locusttelemetry.engine.User user, String taskName) {
                return null;
            }

            @Override
            public void taskEnded(Object task, Throwable error) {
            }

            @Override
            public Object requestStarted(Object task, String method, String name, String url, HeaderSink headers) {
                switch (calls.getAndIncrement()) {
                    case 0 -> headers.traceparent(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, true);
                    case 1 -> headers.set("tracestate", "k=v");
                    default -> { }
                }
                return null;
            }
        });
        HttpSession client = newClient();

        client.get("/headers", o -> o.header("X-Test", "one"));
        TestHttpServer.Received first = server.last();
        client.get("/headers");
        TestHttpServer.Received second = server.last();
        client.get("/headers");
        TestHttpServer.Received third = server.last();

        assertThat(first.headers().get("traceparent")).containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(first.header("X-Test")).isEqualTo("one");
        assertThat(second.headers()).doesNotContainKey("traceparent");
        assertThat(second.header("tracestate")).isEqualTo("k=v");
        assertThat(third.headers()).doesNotContainKey("traceparent").doesNotContainKey("tracestate");
    }

    @Test
    void queryParametersAreEncodedAndPartOfTheName() {
        HttpSession client = newClient();
        client.get("/echo", r -> r.query("q", "a b&c=d/é").query("n", 5));
        assertThat(server.last().rawQuery()).isEqualTo("q=a+b%26c%3Dd%2F%C3%A9&n=5");
        assertThat(entry("GET", "/echo?q=a+b%26c%3Dd%2F%C3%A9&n=5").numRequests()).isEqualTo(1);

        client.get("/echo?x=1", r -> r.query(Map.of("y", "2")));
        assertThat(server.last().rawQuery()).isEqualTo("x=1&y=2");
        assertThat(entry("GET", "/echo?x=1&y=2").numRequests()).isEqualTo(1);
    }

    /** A small record for JSON binding. */
    public record Item(String name, List<Integer> items) {}

    @Test
    void jsonBodyAndJsonResponse() {
        HttpSession client = newClient();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user", "anna");
        payload.put("ids", List.of(1, 2));
        HttpResponse echoed = client.postJson("/echo", payload);

        assertThat(server.last().header("Content-Type")).isEqualTo("application/json");
        assertThat(server.last().bodyText()).isEqualTo("{\"user\":\"anna\",\"ids\":[1,2]}");
        assertThat(echoed.json().get("user").asText()).isEqualTo("anna");
        assertThat(echoed.json().get("ids").get(1).asInt()).isEqualTo(2);

        JsonNode doc = client.get("/json").json();
        assertThat(doc.get("items")).hasSize(3);
        assertThat(client.get("/json").json(Item.class)).isEqualTo(new Item("locust", List.of(1, 2, 3)));

        client.put("/echo", r -> r.json("{\"raw\":true}"));
        assertThat(server.last().bodyText()).isEqualTo("{\"raw\":true}");
    }

    @Test
    void formBody() {
        HttpSession client = newClient();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user name", "anna b");
        fields.put("pass", "p&ss=1");
        client.post("/echo", r -> r.form(fields));

        assertThat(server.last().header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(server.last().bodyText()).isEqualTo("user+name=anna+b&pass=p%26ss%3D1");
        assertThat(TestHttpServer.form(server.last().bodyText())).containsExactly(
                Map.entry("user name", "anna b"), Map.entry("pass", "p&ss=1"));
        assertThat(server.last().header("Content-Length")).isEqualTo("32");
    }

    @Test
    void cookiesAreKeptPerUserAndSentBack() {
        HttpSession alice = newClient();
        HttpSession bob = newClient();
        alice.get("/login");
        bob.get("/login");

        String aliceCookies = alice.get("/whoami").text();
        String bobCookies = bob.get("/whoami").text();
        assertThat(aliceCookies).contains("theme=dark").containsPattern("session=s\\d");
        assertThat(bobCookies).contains("theme=dark").containsPattern("session=s\\d");
        assertThat(aliceCookies).isNotEqualTo(bobCookies);
        assertThat(alice.cookies().get("session")).isNotEqualTo(bob.cookies().get("session"));

        alice.get("/logout");
        assertThat(alice.get("/whoami").text()).isEqualTo("theme=dark");
        assertThat(bob.get("/whoami").text()).isEqualTo(bobCookies);

        HttpSession fresh = newClient();
        assertThat(fresh.get("/whoami").text()).isEmpty();
    }

    @Test
    void keepAliveReusesOneConnection() {
        HttpSession client = newClient();
        for (int i = 0; i < 25; i++) {
            assertThat(client.get(i % 2 == 0 ? "/echo" : "/json").status()).isEqualTo(200);
        }
        assertThat(server.received()).hasSize(25);
        assertThat(server.received().stream().map(TestHttpServer.Received::clientPort).distinct()).hasSize(1);
        // another user has its own connection
        newClient().get("/echo");
        assertThat(server.received().stream().map(TestHttpServer.Received::clientPort).distinct()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsAreFollowedAndReportedAsOneRequest(int status) {
        HttpSession client = newClient();
        HttpResponse r = client.post("/redirect/" + status + "?k=v", o -> o.body("payload", "text/plain"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.url()).isEqualTo(server.baseUrl() + "/echo?k=v");
        List<TestHttpServer.Received> got = server.received();
        assertThat(got).hasSize(2);
        assertThat(got.get(1).path()).isEqualTo("/echo");
        assertThat(got.get(1).rawQuery()).isEqualTo("k=v");
        if (status == 307 || status == 308) {
            assertThat(got.get(1).method()).isEqualTo("POST");
            assertThat(got.get(1).bodyText()).isEqualTo("payload");
        } else {
            assertThat(got.get(1).method()).isEqualTo("GET");
            assertThat(got.get(1).bodyText()).isEmpty();
        }
        assertThat(entry("POST", "/redirect/" + status + "?k=v").numRequests()).isEqualTo(1);
        assertThat(env.stats().snapshot().total().numRequests()).isEqualTo(1);
        assertThat(events).hasSize(1);
    }

    @Test
    void a301KeepsThePutMethodAsRequestsDoes() {
        HttpSession client = newClient();
        HttpResponse r = client.put("/redirect/301", o -> o.body("payload", "text/plain"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(server.received().get(1).method()).isEqualTo("PUT");
        assertThat(server.received().get(1).bodyText()).isEqualTo("payload");
    }

    @Test
    void redirectChainsAndRedirectsNotFollowed() {
        HttpSession client = newClient();
        HttpResponse chained = client.get("/redirect-chain");
        assertThat(chained.status()).isEqualTo(200);
        assertThat(server.received()).extracting(TestHttpServer.Received::path)
                .containsExactly("/redirect-chain", "/redirect/302", "/echo");

        HttpResponse notFollowed = client.get("/redirect/302", r -> r.allowRedirects(false));
        assertThat(notFollowed.status()).isEqualTo(302);
        assertThat(notFollowed.header("Location")).isEqualTo("/echo");
        assertThat(entry("GET", "/redirect/302").numFailures()).isZero();
    }

    @Test
    void chunkedResponsesAreDecoded() {
        HttpSession client = newClient();
        HttpResponse r = client.get("/chunked");
        String expected = "part-1|".repeat(700) + "part-2|".repeat(1400) + "part-3|".repeat(2100);

        assertThat(r.text()).isEqualTo(expected);
        assertThat(r.length()).isEqualTo(expected.length());
        assertThat(entry("GET", "/chunked").totalContentLength()).isEqualTo(expected.length());
        // the connection is still in sync after the last chunk
        assertThat(client.get("/echo").status()).isEqualTo(200);
        assertThat(server.received().stream().map(TestHttpServer.Received::clientPort).distinct()).hasSize(1);
    }

    @Test
    void contentLengthBodies() {
        HttpSession client = newClient();
        HttpResponse r = client.get("/fixed");
        client.get("/fixed");

        assertThat(r.length()).isEqualTo(1234);
        assertThat(r.text()).hasSize(1234).matches("x+");
        EntrySnapshot e = entry("GET", "/fixed");
        assertThat(e.totalContentLength()).isEqualTo(2468);
        assertThat(e.avgContentLength()).isEqualTo(1234.0);
        assertThat(events).extracting(RequestEvent::responseLength).containsExactly(1234L, 1234L);
    }

    @Test
    void nameOverrideGroupsRequests() {
        HttpSession client = newClient();
        for (int id = 1; id <= 3; id++) {
            int i = id;
            client.get("/echo?id=" + id, r -> r.name("/echo?id=[id]"));
            client.get("/echo", r -> r.query("id", i).name("/echo?id=[id]"));
        }
        assertThat(entry("GET", "/echo?id=[id]").numRequests()).isEqualTo(6);
        assertThat(env.stats().snapshot().entries()).hasSize(1);
        assertThat(server.received()).extracting(TestHttpServer.Received::rawQuery).containsOnly("id=1", "id=2", "id=3");
    }

    @Test
    void absoluteUrlsAreNamedByTheirPathAsLocustDoes() {
        HttpSession client = newClient();
        client.get(server.baseUrl() + "/echo?x=1");
        assertThat(entry("GET", "/echo?x=1").numRequests()).isEqualTo(1);
        assertThat(events.get(0).url()).isEqualTo(server.baseUrl() + "/echo?x=1");
    }

    @Test
    void hostWithAPathPrefix() {
        HttpSession client = newClient(server.baseUrl() + "/status/");
        HttpResponse r = client.get("404");
        assertThat(server.last().path()).isEqualTo("/status/404");
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void errorStatusesAreFailuresWithLocustLikeText() {
        HttpSession client = newClient();
        HttpResponse notFound = client.get("/status/404");
        HttpResponse serverError = client.post("/status/500", r -> r.body("x", "text/plain"));
        client.get("/status/404");

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.ok()).isFalse();
        assertThat(notFound.text()).isEqualTo("status 404");
        assertThat(serverError.status()).isEqualTo(500);
        assertThat(entry("GET", "/status/404").numFailures()).isEqualTo(2);
        assertThat(entry("GET", "/status/404").numRequests()).isEqualTo(2);
        assertThat(entry("POST", "/status/500").numFailures()).isEqualTo(1);
        assertThat(errorTexts()).containsExactlyInAnyOrder(
                "HTTPError('404 Client Error: Not Found for url: " + server.baseUrl() + "/status/404')",
                "HTTPError('500 Server Error: Internal Server Error for url: " + server.baseUrl() + "/status/500')");
        assertThat(env.stats().snapshot().errors().stream().filter(e -> e.name().equals("/status/404")).findFirst()
                .orElseThrow().occurrences()).isEqualTo(2);
        assertThat(events).extracting(RequestEvent::statusCode).containsExactly(404, 500, 404);
        assertThat(events).allSatisfy(e -> assertThat(e.failure()).isNotNull());
    }

    @Test
    void catchResponseLetsTheTaskDecide() {
        HttpSession client = newClient();

        try (HttpResponse r = client.get("/echo", o -> o.catchResponse().name("marked-failed"))) {
            assertThat(r.status()).isEqualTo(200);
            r.failure("body did not contain the product");
            assertThat(events).as("reported only when closed").isEmpty();
        }
        try (HttpResponse r = client.get("/status/404", o -> o.catchResponse().name("expected-404"))) {
            if (r.status() == 404) {
                r.success();
            }
        }
        try (HttpResponse r = client.get("/status/500", o -> o.catchResponse().name("undecided-500"))) {
            assertThat(r.status()).isEqualTo(500);
        }
        try (HttpResponse r = client.get("/echo", o -> o.catchResponse().name("undecided-200"))) {
            assertThat(r.ok()).isTrue();
        }

        assertThat(entry("GET", "marked-failed").numFailures()).isEqualTo(1);
        assertThat(entry("GET", "expected-404").numFailures()).isZero();
        assertThat(entry("GET", "undecided-500").numFailures()).isEqualTo(1);
        assertThat(entry("GET", "undecided-200").numFailures()).isZero();
        assertThat(env.stats().snapshot().total().numRequests()).isEqualTo(4);
        assertThat(errorTexts()).hasSize(2).anyMatch(t -> t.contains("body did not contain the product"))
                .anyMatch(t -> t.contains("500 Server Error"));
        assertThat(events).extracting(RequestEvent::name)
                .containsExactly("marked-failed", "expected-404", "undecided-500", "undecided-200");
    }

    @Test
    void anUnclosedCaughtResponseIsReportedByTheNextRequest() {
        HttpSession client = newClient();
        HttpResponse r = client.get("/echo", o -> o.catchResponse().name("caught"));
        r.failure("nope");
        assertThat(events).isEmpty();
        client.get("/json");
        assertThat(events).extracting(RequestEvent::name).containsExactly("caught", "/json");
        assertThat(entry("GET", "caught").numFailures()).isEqualTo(1);
        r.close(); // already reported: nothing more
        assertThat(events).hasSize(2);
    }

    @Test
    void requestContextIsMergedOverTheUserContext() {
        Client user = TestSupport.attach(new Client(), env, server.baseUrl());
        users.add(user);
        user.context().put("tenant", "acme");
        user.context().put("plan", "free");
        user.http().get("/echo", r -> r.context(Map.of("plan", "pro", "step", 3)));
        user.http().get("/echo");

        assertThat(events.get(0).context()).containsOnly(Map.entry("tenant", "acme"), Map.entry("plan", "pro"), Map.entry("step", 3));
        assertThat(events.get(1).context()).containsOnly(Map.entry("tenant", "acme"), Map.entry("plan", "free"));
        assertThat(events.get(0).user()).isSameAs(user);
    }

    @Test
    void connectionRefusedIsACountedFailureWithStatusZero() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HttpSession client = newClient("http://127.0.0.1:" + closedPort);
        HttpResponse r = client.get("/nothing");
        client.get("/nothing");

        assertThat(r.status()).isZero();
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isInstanceOf(java.net.ConnectException.class);
        assertThat(r.text()).isEmpty();
        EntrySnapshot e = entry("GET", "/nothing");
        assertThat(e.numRequests()).isEqualTo(2);
        assertThat(e.numFailures()).isEqualTo(2);
        assertThat(errorTexts()).singleElement().asString().contains("Connection refused");
        assertThat(events).extracting(RequestEvent::statusCode).containsOnly(0);

        // the same user carries on with a server that answers
        assertThat(client.get(server.baseUrl() + "/echo").status()).isEqualTo(200);
    }

    /** Requests an unreachable host, then the test server, over and over. */
    public static class Unlucky extends HttpUser {
        static volatile String liveUrl;

        public Unlucky() {
            waitTime(constant(0.02));
        }

        @io.locusttelemetry.engine.Task
        void work() {
            client.get("/down");
            client.get(liveUrl + "/echo");
        }
    }

    @Test
    void unreachableTargetsDoNotStopARun() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Unlucky.liveUrl = server.baseUrl();
        Environment runEnv = Environment.builder().userClasses(Unlucky.class).host("http://127.0.0.1:" + closedPort).build();
        io.locusttelemetry.engine.LocalRunner runner = runEnv.createLocalRunner();
        try {
            runner.start(2, 100);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> runEnv.stats().snapshot().total().numFailures() >= 10);
            StatsSnapshot s = runEnv.stats().snapshot();
            EntrySnapshot down = s.entries().stream().filter(e -> e.name().equals("/down")).findFirst().orElseThrow();
            EntrySnapshot echo = s.entries().stream().filter(e -> e.name().equals("/echo")).findFirst().orElseThrow();
            assertThat(down.numFailures()).isEqualTo(down.numRequests());
            assertThat(echo.numRequests()).isGreaterThanOrEqualTo(down.numRequests() - 2);
            assertThat(echo.numFailures()).isZero();
            assertThat(runner.exceptions()).isEmpty();
            assertThat(runner.userCount()).isEqualTo(2);
        } finally {
            runner.quit();
        }
    }

    @Test
    void aKeepAliveConnectionClosedByTheServerIsRetriedOnceOnANewOne() throws Exception {
        try (RawHttpServer raw = new RawHttpServer(RawHttpServer.Mode.IDLE_CLOSE, 100)) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(client.get("/first").text()).isEqualTo("hello 1");
            assertThat(client.get("/second").text()).isEqualTo("hello 2");
            assertThat(raw.connections()).isEqualTo(1);

            Thread.sleep(400); // the server drops the idle connection meanwhile
            HttpResponse r = client.get("/third");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello 3");
            assertThat(raw.connections()).isEqualTo(2);
            assertThat(env.stats().snapshot().total().numFailures()).isZero();
            assertThat(env.stats().snapshot().total().numRequests()).isEqualTo(3);
        }
    }

    @Test
    void aServerThatHangsUpIsAFailureAfterOneRetryAtMost() throws Exception {
        try (RawHttpServer raw = new RawHttpServer(RawHttpServer.Mode.HANG_UP, 100)) {
            HttpSession client = newClient(raw.baseUrl());
            HttpResponse fresh = client.get("/a");
            assertThat(fresh.status()).isZero();
            assertThat(raw.connections()).as("no retry on a fresh connection").isEqualTo(1);

            raw.mode(RawHttpServer.Mode.IDLE_CLOSE);
            assertThat(client.get("/b").status()).isEqualTo(200);
            raw.mode(RawHttpServer.Mode.HANG_UP);
            Thread.sleep(400);
            HttpResponse stale = client.get("/c");
            assertThat(stale.status()).isZero();
            assertThat(raw.connections()).as("one retry on a new connection, no more").isEqualTo(3);
            assertThat(env.stats().snapshot().total().numFailures()).isEqualTo(2);
        }
    }
}
