package io.locusttelemetry.engine.http.internal;

import java.nio.ByteBuffer;

/** Where a TLS channel's buffers come from: the heap, or native memory (BoringSSL's, in {@link BoringSsl}). */
interface TlsMemory {
    /** A buffer of {@code size} bytes (position 0, limit {@code size}). */
    Block allocate(int size);

    /** Buffers on the heap, left to the garbage collector: for the JDK's engine, which works on arrays. */
    TlsMemory HEAP = size -> new Block(ByteBuffer.allocate(size)) {
        @Override
        void free() {}
    };

    /** One buffer and how to give it back. */
    abstract class Block {
        final ByteBuffer bytes;

        Block(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        /** Gives the memory back; the buffer is never touched again. */
        abstract void free();
    }
}
