package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UrlRedactionTest {

    @Test
    void hidesTheUserInfoOnly() {
        assertThat(UrlRedaction.redact("http://alice:pw@host:8080/path?q=1#f")).isEqualTo("http://***@host:8080/path?q=1#f");
        assertThat(UrlRedaction.redact("https://token@h")).isEqualTo("https://***@h");
        assertThat(UrlRedaction.redact("http://a:b@c@host/")).isEqualTo("http://***@host/");
        assertThat(UrlRedaction.redact("http://host/path@not-user-info")).isEqualTo("http://host/path@not-user-info");
        assertThat(UrlRedaction.redact("http://host?mail=a@b")).isEqualTo("http://host?mail=a@b");
        assertThat(UrlRedaction.redact("user:pw@collector:4317")).isEqualTo("***@collector:4317");
        assertThat(UrlRedaction.redact("http://[::1]:80/")).isEqualTo("http://[::1]:80/");
        assertThat(UrlRedaction.redact("http://u:p@h/", "REDACTED:REDACTED")).isEqualTo("http://REDACTED:REDACTED@h/");
        assertThat(UrlRedaction.redact(null)).isNull();
        assertThat(UrlRedaction.hasUserInfo("http://u@h")).isTrue();
        assertThat(UrlRedaction.hasUserInfo("http://h/@")).isFalse();
    }

    /** Whatever the URL, the password never survives, the rest does, and redacting twice changes nothing. */
    @Test
    void randomUrlsNeverKeepThePassword() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String alphabet = "ab:/?#@[]%.-_~+=&;! \u00e9\u4e2d\n";
        for (int i = 0; i < 20_000; i++) {
            String scheme = rnd.nextInt(5) == 0 ? "" : new String[] {"http://", "https://", "h2c://", "x+y.z-1://"}[rnd.nextInt(4)];
            String password = "SECRET" + i;
            String host = random(rnd, alphabet.replace("@", "").replace("/", "").replace("?", "").replace("#", ""), 8);
            String rest = rnd.nextBoolean() ? "" : "/" + random(rnd, alphabet, 12);
            String url = scheme + random(rnd, alphabet.replace("/", "").replace("?", "").replace("#", ""), 5) + ":" + password + "@"
                    + host + rest;
            String redacted = UrlRedaction.redact(url);
            assertThat(redacted).as("seed %d: %s", seed, url).doesNotContain(password).endsWith(host + rest);
            assertThat(UrlRedaction.redact(redacted)).as("seed %d", seed).isEqualTo(redacted);
            String plain = scheme + host + rest.replace("@", "");
            assertThat(UrlRedaction.redact(plain)).as("seed %d", seed).isEqualTo(plain);
        }
    }

    private static String random(Random rnd, String alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
