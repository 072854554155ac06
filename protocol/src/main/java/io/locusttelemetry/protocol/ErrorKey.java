package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.PythonRepr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key of an entry in a stats report's {@code errors} map, which is also the master's merge
 * key. Python peers use the lowercase hex SHA-256 of {@code <method>.<name>.<repr(error)>};
 * producing the same key lets a master merge one failure reported by Python and Java workers into
 * one row.
 */
public final class ErrorKey {

    private ErrorKey() {
    }

    /**
     * Computes the key Python peers use for an error.
     *
     * @param method request type; null is written as {@code None}, as Python formats it
     * @param name   request name; null is written as {@code None}
     * @param error  failure text exactly as sent in the StatsError {@code error} field
     * @return 64 lowercase hex characters
     */
    public static String of(String method, String name, String error) {
        String input = (method == null ? "None" : method) + "." + (name == null ? "None" : name) + "."
                + (error == null ? "None" : PythonRepr.ofString(error));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }

    /** Python's repr() of a str: the quoted form hashed by {@link #of}. */
    public static String pythonRepr(String text) {
        return PythonRepr.ofString(text);
    }
}
