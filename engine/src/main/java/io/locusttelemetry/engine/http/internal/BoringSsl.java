package io.locusttelemetry.engine.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCounted;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * BoringSSL's client engines, from Netty's tcnative build: the only class that names Netty, so
 * that the JDK's engine takes over when its jars or its native library are missing ({@link Tls}).
 * Only the {@link SSLEngine} is used; the connection's bytes go through the user's own socket.
 */
final class BoringSsl {
    /**
     * Native buffers, not pooled: each connection's are taken when it opens and freed when it
     * closes, on the user's thread, so no pool keeps memory per virtual thread.
     */
    private static final ByteBufAllocator BUFFERS = new UnpooledByteBufAllocator(true, true, true);

    /**
     * Native memory for a channel's buffers, held by its connection and freed with it: BoringSSL
     * then decrypts from and into them in place, where heap buffers cost a native copy of each
     * record, allocated and freed, both ways.
     */
    static final TlsMemory MEMORY = size -> {
        ByteBuf b;
        try {
            b = BUFFERS.directBuffer(size, size);
        } catch (OutOfMemoryError e) {
            // past the JVM's limit on native memory (-XX:MaxDirectMemorySize, -Xmx by default): the
            // heap does the same work, at the engine's copies
            return TlsMemory.HEAP.allocate(size);
        }
        return new TlsMemory.Block(b.nioBuffer(0, size)) {
            @Override
            void free() {
                b.release();
            }
        };
    };

    private BoringSsl() {}

    /** Throws what stops BoringSSL from loading here. */
    static void check() throws Throwable {
        if (!nativeAccessEnabled(OpenSsl.class.getModule())) {
            // loading it would make the JDK print its restricted-method warning to the user
            throw new IllegalStateException("native access is not enabled (java --enable-native-access=ALL-UNNAMED)");
        }
        if (!OpenSsl.isAvailable()) {
            throw OpenSsl.unavailabilityCause();
        }
        Contexts.VERIFYING.hashCode();
    }

    /**
     * Whether {@code module} may load native code without a warning: always before JDK 24
     * (which began to warn), else as {@code --enable-native-access} says. Asked by reflection,
     * since the code compiles for JDK 21.
     */
    static boolean nativeAccessEnabled(Module module) {
        if (Runtime.version().feature() < 24) {
            return true;
        }
        try {
            return (Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(module);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Makes both contexts (they are made once). */
    static void load() {
        Contexts.TRUSTING.hashCode();
    }

    static SSLEngine engine(boolean verify, String host, int port) {
        return (verify ? Contexts.VERIFYING : Contexts.TRUSTING).newEngine(BUFFERS, host, port);
    }

    /** Whether {@code engine} is one of BoringSSL's. */
    static boolean owns(SSLEngine engine) {
        return engine instanceof ReferenceCounted;
    }

    static void release(SSLEngine engine) {
        if (engine instanceof ReferenceCounted r && r.refCnt() > 0) {
            r.release();
        }
    }

    private static final class Contexts {
        static final SslContext VERIFYING = context(true);
        static final SslContext TRUSTING = context(false);

        private static SslContext context(boolean verify) {
            try {
                SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT);
                if (verify) {
                    // the JDK's trust store, and the host name checked against the certificate
                    b.endpointIdentificationAlgorithm("HTTPS");
                } else {
                    b.trustManager(Tls.TRUST_ALL).endpointIdentificationAlgorithm(null);
                }
                return b.build();
            } catch (SSLException e) {
                throw new IllegalStateException("BoringSSL: " + e.getMessage(), e);
            }
        }
    }
}
