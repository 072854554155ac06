package io.locusttelemetry.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/** Writes trees of any depth (the codec's writer refuses those a reader refuses), for decoder tests. */
public final class MsgpackWriterProbe {

    public byte[] unchecked(Object tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, tree);
        return out.toByteArray();
    }

    private void write(ByteArrayOutputStream out, Object v) {
        if (v instanceof List<?> l) {
            out.write(0xdc);
            out.write(l.size() >>> 8);
            out.write(l.size());
            l.forEach(o -> write(out, o));
        } else if (v instanceof Map<?, ?> m) {
            out.write(0xde);
            out.write(m.size() >>> 8);
            out.write(m.size());
            m.forEach((k, o) -> {
                write(out, k);
                write(out, o);
            });
        } else {
            out.writeBytes(new MsgpackWriter().writeValue(v).toByteArray());
        }
    }
}
