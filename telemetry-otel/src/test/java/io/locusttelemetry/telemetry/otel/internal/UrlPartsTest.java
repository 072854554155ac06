package io.locusttelemetry.telemetry.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A request URL's credentials never reach a span: {@code url.full} has the semantic conventions' REDACTED form. */
class UrlPartsTest {

    @Test
    void credentialsAreRedactedAndHostAndPortKept() {
        UrlParts u = UrlParts.parse("https://alice:s3cret@shop.example:8443/cart?x=1");
        assertThat(u.redacted()).isEqualTo("https://REDACTED:REDACTED@shop.example:8443/cart?x=1");
        assertThat(u.host()).isEqualTo("shop.example");
        assertThat(u.port()).isEqualTo(8443);
        assertThat(UrlParts.parse("http://h/a@b").redacted()).isEqualTo("http://h/a@b");
        assertThat(OtelSettings.redactUserInfo("http://key:v@collector:4317")).isEqualTo("http://***@collector:4317");
    }
}
