package io.locusttelemetry.engine.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.engine.http.spi.ExchangeRequest;
import io.locusttelemetry.engine.http.spi.ExchangeResponse;
import io.locusttelemetry.engine.http.spi.HttpExchanger;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the session makes of another protocol's request and response: the headers HTTP/1.1 would
 * send, and a server's header names and values checked before they become lines of a head, with
 * hostile values from a random generator.
 */
class ProtocolExchangeTest {

    /** An exchanger that keeps the request's headers and answers with the test's headers. */
    private static final class Scripted implements HttpExchanger {
        final List<String> sent = new ArrayList<>();
        String authority;
        List<String[]> answer = List.of();

        @Override
        public long exchange(ExchangeRequest request, ExchangeResponse response) throws IOException {
            sent.clear();
            authority = request.authority();
            for (int i = 0; i < request.headerCount(); i++) {
                sent.add(request.headerName(i) + ": " + request.headerValue(i));
            }
            response.status(200, "OK");
            for (String[] h : answer) {
                response.header(h[0], h[1]);
            }
            response.body("ok".getBytes(StandardCharsets.US_ASCII), 2);
            return System.nanoTime();
        }

        @Override
        public void close() {}
    }

    private final Map<String, String> jar = new HashMap<>();
    private final Http1Client.Cookies cookies = new Http1Client.Cookies() {
        @Override
        public String headerFor(String host) {
            return jar.get(host);
        }

        @Override
        public void store(String host, String setCookie) {
            jar.put(host, setCookie);
        }
    };

    private void exchange(ProtocolExchange p, List<String> names, List<String> values, String contentType, byte[] body)
            throws IOException {
        p.exchange(body == null ? "GET" : "POST", Target.parse("https://user:pw@example.test:8443/"), "/x", names, values,
                new TraceHeaders(names, values), cookies, contentType, body, true, 1000, 0, 1 << 20);
    }

    @Test
    void theRequestCarriesHttp1sDefaultsLessWhatHttp2Forbids() throws IOException {
        Scripted s = new Scripted();
        ProtocolExchange p = new ProtocolExchange(s);
        jar.put("example.test", "a=1");
        List<String> names = new ArrayList<>(List.of("Connection", "X-Mine", "Host", "Content-Length", "Transfer-Encoding"));
        List<String> values = new ArrayList<>(List.of("close", "yes", "other.test", "99", "chunked"));
        exchange(p, names, values, "application/json", "{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(s.authority).isEqualTo("other.test");
        assertThat(s.sent).containsExactly("X-Mine: yes", "Authorization: Basic dXNlcjpwdw==", "User-Agent: jlocust/0.1",
                "Accept: */*", "Cookie: a=1", "Content-Type: application/json", "Content-Length: 2");
    }

    /**
     * Random user headers (the ones with defaults among them, in any case), methods, bodies, URLs
     * with and without credentials, traced or not: HTTP/2 sends exactly the header lines HTTP/1.1
     * writes after its request line and Host, less the user's headers HTTP/2 forbids or sets itself.
     */
    @Test
    void http2SendsTheHeadersHttp1WritesForAnyRequest() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] pool = {"User-Agent", "user-AGENT", "Accept", "ACCEPT", "Authorization", "authorization", "Host",
            "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Content-Length", "X-Mine", "Accept-Language",
            "Cookie", "Content-Type", "traceparent"};
        String[] methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
        String[] urls = {"http://example.test/", "https://user:pw@example.test:8443/", "http://a%40b:@example.test:81/"};
        for (int i = 0; i < 1_000; i++) {
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int n = random.nextInt(6); n > 0; n--) {
                names.add(pool[random.nextInt(pool.length)]);
                values.add(random.nextBoolean() ? "close" : "v" + random.nextInt(100));
            }
            String method = methods[random.nextInt(methods.length)];
            byte[] body = random.nextBoolean() ? null : new byte[random.nextInt(3)];
            String contentType = random.nextBoolean() ? null : "text/plain";
            Target target = Target.parse(urls[random.nextInt(urls.length)]);
            String cookie = random.nextBoolean() ? null : "a=1";
            jar.clear();
            if (cookie != null) {
                jar.put("example.test", cookie);
            }
            TraceHeaders trace = new TraceHeaders(names, values);
            if (random.nextBoolean()) {
                trace.traceparent(random.nextLong(), random.nextLong(), random.nextLong(), random.nextBoolean());
            }
            String what = "seed " + seed + ": " + method + " " + names + " " + values + " body " + (body == null ? "none" : body.length);

            ByteSink h = new ByteSink(256);
            RequestHead.write(h, method, target, "/x", names, values, trace, cookie, contentType, body);
            List<String> http1 = new ArrayList<>(List.of(new String(h.toByteArray(), StandardCharsets.ISO_8859_1).split("\r\n")));
            http1 = http1.subList(2, http1.size()); // request line, Host
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < http1.size(); k++) {
                String name = http1.get(k).substring(0, http1.get(k).indexOf(':'));
                boolean users = k < names.size();
                if (users && (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")
                        || ProtocolExchange.isConnectionSpecific(name))) {
                    continue;
                }
                expected.add(http1.get(k));
            }

            Scripted s = new Scripted();
            new ProtocolExchange(s).exchange(method, target, "/x", names, values, trace, cookies, contentType, body, true,
                    1000, 0, 1 << 20);
            assertThat(s.sent).as(what).containsExactlyElementsOf(expected);
            // a default only where the user set none
            for (String d : List.of("user-agent", "accept")) {
                long users = names.stream().filter(d::equalsIgnoreCase).count();
                assertThat(s.sent.stream().filter(l -> l.regionMatches(true, 0, d + ":", 0, d.length() + 1)).count())
                        .as(what).isEqualTo(Math.max(1, users));
            }
        }
    }

    @Test
    void aTracersTraceparentIsSentAsAHeader() throws IOException {
        Scripted s = new Scripted();
        ProtocolExchange p = new ProtocolExchange(s);
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        TraceHeaders trace = new TraceHeaders(names, values);
        trace.traceparent(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, true);
        p.exchange("GET", Target.parse("http://example.test/"), "/", names, values, trace, cookies, null, null, true, 0, 0, 1 << 20);
        assertThat(s.sent).contains("traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void theResponseBecomesAnHttp1HeadWithCookiesStored() throws IOException {
        Scripted s = new Scripted();
        s.answer = List.of(new String[] {"set-cookie", "session=h2; Path=/"}, new String[] {"content-type", "text/plain"});
        ProtocolExchange p = new ProtocolExchange(s);
        exchange(p, new ArrayList<>(), new ArrayList<>(), null, null);
        assertThat(new String(p.takeHead(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/2 200 OK\r\nset-cookie: session=h2; Path=/\r\ncontent-type: text/plain\r\n");
        assertThat(jar).containsEntry("example.test", "session=h2; Path=/");
        assertThat(p.responseBody).containsExactly('o', 'k');
    }

    @Test
    void aValueWithALineBreakCannotAddAHeaderOfItsOwn() {
        Scripted s = new Scripted();
        s.answer = List.<String[]>of(new String[] {"x-evil", "a\r\nset-cookie: pwned=1"});
        ProtocolExchange p = new ProtocolExchange(s);
        assertThatThrownBy(() -> exchange(p, new ArrayList<>(), new ArrayList<>(), null, null))
                .isInstanceOf(ProtocolException.class).hasMessage("malformed HTTP header 'x-evil': control characters in its value");
        assertThat(jar).isEmpty();
    }

    /** Random names and values from an alphabet of the characters that matter: accepted exactly when valid, one line each. */
    @Test
    void randomHeadersAreAcceptedExactlyWhenTheyAreOneValidLine() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        char[] alphabet = {'a', 'Z', '0', '-', '_', ' ', '\t', '\r', '\n', '\0', ':', '"', 0x7F, 0xE9, 0x2028, '\u00ff', '/'};
        for (int i = 0; i < 2_000; i++) {
            String name = randomString(random, alphabet, 1 + random.nextInt(6));
            String value = randomString(random, alphabet, random.nextInt(12));
            boolean valid = name.chars().allMatch(c -> c > ' ' && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)
                    && value.chars().allMatch(c -> c >= ' ' && c != 0x7F || c == '\t');
            Scripted s = new Scripted();
            s.answer = List.<String[]>of(new String[] {name, value});
            ProtocolExchange p = new ProtocolExchange(s);
            String what = "seed " + seed + ": " + escape(name) + " = " + escape(value);
            try {
                exchange(p, new ArrayList<>(), new ArrayList<>(), null, null);
                assertThat(valid).as(what).isTrue();
                String head = new String(p.takeHead(), StandardCharsets.ISO_8859_1);
                assertThat(head.split("\r\n", -1)).as(what).hasSize(3);
                assertThat(head.chars().filter(c -> c == '\n' || c == '\r').count()).as(what).isEqualTo(4);
            } catch (ProtocolException e) {
                assertThat(valid).as(what + ": " + e.getMessage()).isFalse();
                assertThat(e.getMessage()).as(what).doesNotContain("\r").doesNotContain("\n");
            } catch (IOException e) {
                throw new AssertionError(what, e);
            }
        }
    }

    @Test
    void aStatusOutsideThreeDigitsIsRefused() {
        HttpExchanger bad = new HttpExchanger() {
            @Override
            public long exchange(ExchangeRequest request, ExchangeResponse response) throws IOException {
                response.status(1000, "Big");
                return 0;
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> exchange(new ProtocolExchange(bad), new ArrayList<>(), new ArrayList<>(), null, null))
                .isInstanceOf(ProtocolException.class).hasMessage("malformed HTTP/2 status: 1000");
    }

    private static String randomString(Random r, char[] alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet[r.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    private static String escape(String s) {
        return s.chars().mapToObj(c -> c < ' ' || c > 0x7E ? String.format("\\u%04x", c) : String.valueOf((char) c))
                .reduce("", String::concat);
    }
}
