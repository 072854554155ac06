package io.locusttelemetry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Locust frames whose data nests containers as deep as a hostile peer likes, written as bare headers. */
public final class NestedFrames {
    private NestedFrames() {}

    /**
     * {@code [type, <depth containers>... nil, node id]}: one byte a level for arrays, three for
     * maps ({@code {"k": ...}}), so 200,000 levels fit in 200 to 600 KB.
     */
    public static byte[] of(String type, int depth, boolean maps, String nodeId) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(depth * (maps ? 3 : 1) + 64);
        o.write(0x93);
        str(o, type);
        for (int i = 0; i < depth; i++) {
            if (maps) {
                o.write(0x81);
                o.write(0xa1);
                o.write('k');
            } else {
                o.write(0x91);
            }
        }
        o.write(0xc0);
        str(o, nodeId);
        return o.toByteArray();
    }

    private static void str(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.write(0xd9);
        o.write(b.length);
        o.writeBytes(b);
    }
}
