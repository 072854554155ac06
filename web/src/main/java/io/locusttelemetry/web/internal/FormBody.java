package io.locusttelemetry.web.internal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body (what a browser form, {@code curl -d} and
 * Python's {@code requests.post(data=...)} send), bounded: at most {@value #MAX_FIELDS} fields, each
 * name and value valid UTF-8 after decoding. Repeated names keep every value in order.
 */
public final class FormBody {
    static final int MAX_FIELDS = 512;
    /** The largest body read; a larger one is refused unread. */
    public static final int MAX_BYTES = 64 * 1024;

    private final Map<String, List<String>> fields;

    private FormBody(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /**
     * @throws BadRequest for malformed escapes, invalid UTF-8 or too many fields
     */
    public static FormBody parse(String body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return new FormBody(fields);
        }
        int count = 0;
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_FIELDS) {
                throw new BadRequest("the form has more than " + MAX_FIELDS + " fields");
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new FormBody(fields);
    }

    /** The first value of {@code name}, or null. */
    public String first(String name) {
        List<String> v = fields.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    public Iterable<String> names() {
        return fields.keySet();
    }

    private static String decode(String s) {
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new BadRequest("the form has a malformed %-escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadRequest("the form has a malformed %-escape");
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                // the body was read as ISO-8859-1: each char is one raw byte (UTF-8 sent unescaped)
                out[n++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("the form is not valid UTF-8");
        }
    }
}
