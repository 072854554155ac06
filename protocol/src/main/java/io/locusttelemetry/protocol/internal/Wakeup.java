package io.locusttelemetry.protocol.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets any thread interrupt a socket thread blocked in a ZeroMQ poll. The read end is polled
 * next to the ZeroMQ socket, so queued sends go out at once without spinning or a short poll
 * timeout; the flag keeps bursts of sends to one byte in the pipe.
 */
public final class Wakeup implements Closeable {

    private final Pipe pipe;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final ByteBuffer sink = ByteBuffer.allocate(64);

    public Wakeup() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    public SelectableChannel channel() {
        return pipe.source();
    }

    /** Called by producers after queueing work. */
    public void signal() {
        if (pending.compareAndSet(false, true)) {
            synchronized (one) {
                try {
                    one.clear();
                    pipe.sink().write(one);
                } catch (IOException e) {
                    // closed during shutdown: nobody is waiting any more
                }
            }
        }
    }

    /**
     * Called by the socket thread before it looks at the queues; clearing the flag first means
     * a producer racing with this call either is seen by the caller or writes a fresh byte.
     */
    public void drain() {
        pending.set(false);
        try {
            // a pipe read returns all it holds up to the buffer's size, so a short read means empty
            do {
                sink.clear();
            } while (pipe.source().read(sink) == sink.capacity());
        } catch (IOException e) {
            // closed during shutdown
        }
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // best effort
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
