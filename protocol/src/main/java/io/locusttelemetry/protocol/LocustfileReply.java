package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Master to worker (latest Locust): answer to a {@link LocustfileRequest}. Three shapes exist:
 * {@code {locustfiles: [{filename, contents} | url, ...]}} (2.31 and later),
 * {@code {filename, contents}} (2.23 to 2.30), and {@code {error}} on failure. All decode into
 * this record; encoding uses the newest shape, or the error shape when {@link #error()} is set.
 *
 * @param locustfiles the files offered, empty when the reply is an error
 * @param error       failure text, or null
 */
public record LocustfileReply(List<Locustfile> locustfiles, String error) implements LocustfileMessage {

    /**
     * One offered locustfile: either inline text or a URL the worker fetches itself.
     *
     * @param filename file name, null for a URL entry
     * @param contents file text, null for a URL entry
     * @param url      URL, null for an inline entry
     */
    public record Locustfile(String filename, String contents, String url) {

        /** An entry carrying the file text. */
        public static Locustfile inline(String filename, String contents) {
            return new Locustfile(filename, contents, null);
        }

        /** An entry the worker downloads itself. */
        public static Locustfile url(String url) {
            return new Locustfile(null, null, url);
        }

        Object toData() {
            if (url != null && filename == null && contents == null) {
                return url;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("filename", filename);
            d.put("contents", contents);
            return d;
        }
    }

    /** Copies the list; null becomes empty. */
    public LocustfileReply {
        locustfiles = Values.frozen(locustfiles == null ? List.of() : locustfiles);
    }

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static LocustfileReply fromMessage(Message m) {
        Values.requireType(m, MessageTypes.LOCUSTFILE);
        Map<?, ?> d = Values.map(m.data());
        List<Locustfile> files = new ArrayList<>();
        for (Object o : Values.list(d.get("locustfiles"))) {
            if (o instanceof String s) {
                files.add(Locustfile.url(s));
            } else if (o instanceof Map<?, ?> f) {
                files.add(Locustfile.inline(Values.string(f, "filename", null), Values.string(f, "contents", null)));
            }
        }
        if (files.isEmpty() && d.containsKey("filename")) {
            files.add(Locustfile.inline(Values.string(d, "filename", null), Values.string(d, "contents", null)));
        }
        return new LocustfileReply(files, Values.string(d, "error", null));
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (error != null) {
            data.put("error", error);
        } else {
            List<Object> files = new ArrayList<>();
            for (Locustfile f : locustfiles) {
                files.add(f.toData());
            }
            data.put("locustfiles", files);
        }
        return new Message(type(), data, nodeId);
    }
}
