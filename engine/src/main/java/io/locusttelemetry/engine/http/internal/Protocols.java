package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.http.spi.HttpProtocol;
import java.util.ServiceLoader;

/** The protocols beside HTTP/1.1 that modules on the class path provide, looked up once each. */
public final class Protocols {
    private Protocols() {}

    private static final class Http2 {
        static final HttpProtocol INSTANCE = find("h2");
    }

    /** HTTP/2's provider; throws IllegalStateException naming the missing module when none is on the class path. */
    public static HttpProtocol http2() {
        HttpProtocol p = Http2.INSTANCE;
        if (p == null) {
            throw new IllegalStateException("HTTP/2 needs jlocust's http2 module (io.locusttelemetry:http2) on the class path");
        }
        return p;
    }

    private static HttpProtocol find(String name) {
        for (ClassLoader loader : new ClassLoader[] {HttpProtocol.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
            if (loader == null) {
                continue;
            }
            for (HttpProtocol p : ServiceLoader.load(HttpProtocol.class, loader)) {
                if (name.equals(p.name())) {
                    return p;
                }
            }
        }
        return null;
    }
}
