package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorKeyAndNodeIdTest {

    @Test
    void errorKeyMatchesTheCapturedLocustKey() {
        assertThat(ErrorKey.of("GET", "/missing-page", "CatchResponseError('Got 404 for /missing-page')"))
                .isEqualTo("07cf1bb0d0d9525ef6c57dd7918c79b04ad60cdada4219107c24e9e7e943e632");
        assertThat(ErrorKey.pythonRepr("CatchResponseError('Got 404 for /missing-page')"))
                .isEqualTo("\"CatchResponseError('Got 404 for /missing-page')\"");
    }

    /** Expected values computed with CPython 3 ({@code f"{m}.{n}.{e!r}"} through hashlib.sha256). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST   | /a | plain                  | 8a412dbe72dfa90bd8f89b3236644dce98d709a791ab833ac4aa6303b65871f9",
        "GET    | /b | say \"hi\"             | e362436778eaa13b4cf97abd0fb28985c77d0878e9875f42f70e5e692229594e",
        "       | /f | x                      | 5f2a627fef224389c6e62789c6fd9d51d5f3da2ce4b426e6eededf19508e00a3",
    })
    void errorKeyAgreesWithPython(String method, String name, String error, String expected) {
        assertThat(ErrorKey.of(method, name, error)).isEqualTo(expected);
    }

    @Test
    void pythonReprQuotingAndEscapes() {
        assertThat(ErrorKey.pythonRepr("plain")).isEqualTo("'plain'");
        assertThat(ErrorKey.pythonRepr("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(ErrorKey.pythonRepr("it's \"both\"")).isEqualTo("'it\\'s \"both\"'");
        assertThat(ErrorKey.pythonRepr("back\\slash\ttab\nnl\u0001\u007f"))
                .isEqualTo("'back\\\\slash\\ttab\\nnl\\x01\\x7f'");
        assertThat(ErrorKey.pythonRepr("caf\u00e9 \u00a0nbsp \u200b zw \uD83D\uDE00 \u2028"))
                .isEqualTo("'caf\u00e9 \\xa0nbsp \\u200b zw \uD83D\uDE00 \\u2028'");
        assertThat(ErrorKey.pythonRepr("\u00fcn\u00efcode'")).isEqualTo("\"\u00fcn\u00efcode'\"");

        assertThat(ErrorKey.of("GET", "/c", "it's \"both\""))
                .isEqualTo("33a49b9f2be54f605e7f135a7013f19a0325a62f9aad6cf068115ee71d22a55c");
        assertThat(ErrorKey.of("GET", "/d", "back\\slash\ttab\nnl\u0001\u007f"))
                .isEqualTo("9d4fb1e78219ded521a91bcc6100d1d82915ed7dc9e68b2c59a39a386636ebec");
        assertThat(ErrorKey.of("GET", "/e", "caf\u00e9 \u00a0nbsp \u200b zw \uD83D\uDE00 \u2028"))
                .isEqualTo("91c3c9441c721fc11b479f6151221b64a26df99f151b9439d68e558c36ef89f0");
        assertThat(ErrorKey.of("CUSTOM", "\u00e9/\u8def\u5f84", "\u00fcn\u00efcode'"))
                .isEqualTo("879956292aa366d8f773d3531f2608c249e09e9bf71999d3ee152ef67898f1fb");
    }

    @Test
    void nodeIdsFollowThePythonConvention() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String id = NodeId.generate();
            assertThat(id).matches("^.+_[0-9a-f]{32}$");
            assertThat(NodeId.isValid(id)).isTrue();
            ids.add(id);
        }
        assertThat(ids).hasSize(100);
        assertThat(NodeId.generate("vm")).matches("^vm_[0-9a-f]{32}$");
    }

    @Test
    void hostnamesAreSanitised() {
        assertThat(NodeId.generate("")).startsWith("localhost_");
        assertThat(NodeId.generate(null)).startsWith("localhost_");
        assertThat(NodeId.generate("\u0000\u0001 \t")).startsWith("localhost_");
        assertThat(NodeId.generate("a\u0000b c\ud800")).startsWith("abc_");
        String longId = NodeId.generate("h\u00e9".repeat(200));
        assertThat(longId.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(NodeId.isValid(longId)).isTrue();
        assertThat(NodeId.isValid("")).isFalse();
        assertThat(NodeId.isValid("\u0000x")).isFalse();
        assertThat(NodeId.isValid("x".repeat(256))).isFalse();
        assertThat(NodeId.isValid("bad\ud800")).isFalse();
    }
}
