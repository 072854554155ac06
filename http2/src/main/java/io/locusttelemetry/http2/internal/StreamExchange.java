package io.locusttelemetry.http2.internal;

import io.locusttelemetry.engine.http.spi.ExchangeResponse;
import io.locusttelemetry.engine.http.spi.Exchanges;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * One request on one HTTP/2 stream: Jetty's threads fill it as frames arrive, the user's thread
 * parks until it is done and then takes the response. Made per request; its fields are written by
 * Jetty's threads and read by the user's after {@link #state} says done, which orders them.
 */
final class StreamExchange implements Stream.Listener, Promise<Stream> {
    private static final int RUNNING = 0;
    /** A Jetty thread has won the right to end the exchange and is writing its outcome. */
    private static final int ENDING = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(StreamExchange.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** A body of unknown length starts in a buffer this large, and grows by doubling. */
    private static final int FIRST_BUFFER = 4096;

    private final Thread user = Thread.currentThread();
    private final long maxBody;
    private final long readTimeoutNanos;

    private volatile int state;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile Stream stream;
    private volatile boolean cancelled;
    private volatile boolean answered;
    private IOException failure;
    private boolean notTaken;
    private boolean refused;
    private boolean connectionSuspect;

    private MetaData.Response response;
    private byte[] body;
    private int bodyLength;
    private byte[] pendingBody;
    private long receivedNanos;

    StreamExchange(long maxBody, int readTimeoutMillis) {
        this.maxBody = maxBody;
        this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, readTimeoutMillis));
    }

    /** Opens the stream with the request's HEADERS, and its DATA once the stream exists. */
    void send(Session session, HeadersFrame headers, byte[] requestBody) {
        pendingBody = requestBody;
        session.newStream(headers, this, this);
    }

    /** Parks the user's thread until the response is complete, it failed, or a limit passed. */
    void await(long deadlineNanos) throws IOException {
        while (state < DONE) {
            long now = System.nanoTime();
            long wait = Long.MAX_VALUE;
            if (deadlineNanos != 0) {
                wait = deadlineNanos - now;
                if (wait <= 0) {
                    cancel();
                    connectionSuspect = false;
                    throw new SocketTimeoutException("total timeout reached");
                }
            }
            if (readTimeoutNanos > 0) {
                long idle = lastFrameNanos + readTimeoutNanos - now;
                if (idle <= 0) {
                    cancel();
                    throw new SocketTimeoutException("Read timed out");
                }
                wait = Math.min(wait, idle);
            }
            if (wait == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, wait);
            }
            if (Thread.interrupted()) {
                cancel();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("request interrupted");
            }
        }
        if (state == FAILED) {
            if (notTaken) {
                throw new NotTaken(failure, refused);
            }
            throw failure;
        }
    }

    /** Hands the response to the session, on the user's thread. */
    void deliver(ExchangeResponse out) throws IOException {
        MetaData.Response r = response;
        int status = r.getStatus();
        out.status(status, HttpStatus.getCode(status) == null ? "" : HttpStatus.getMessage(status));
        for (HttpField f : r.getHttpFields()) {
            out.header(f.getName(), f.getValue());
        }
        out.body(body, bodyLength);
    }

    long receivedNanos() {
        return receivedNanos;
    }

    /** Whether a timeout may have left the connection in a state not worth keeping. */
    boolean connectionSuspect() {
        return connectionSuspect;
    }

    private void cancel() {
        cancelled = true;
        Stream s = stream;
        if (s != null && !s.isClosed()) {
            s.reset(new ResetFrame(s.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
        }
    }

    /** The connection under this request died: fail it unless it is done. */
    void connectionLost(String why) {
        fail(new SocketException(why), !answered, false);
    }

    private void done() {
        if (!STATE.compareAndSet(this, RUNNING, ENDING)) {
            return;
        }
        receivedNanos = System.nanoTime();
        state = DONE;
        LockSupport.unpark(user);
    }

    private void fail(IOException e, boolean beforeAnyResponse, boolean refusedByServer) {
        if (!STATE.compareAndSet(this, RUNNING, ENDING)) {
            return;
        }
        failure = e;
        notTaken = beforeAnyResponse;
        refused = refusedByServer;
        state = FAILED;
        LockSupport.unpark(user);
    }

    // --- Promise<Stream>: the stream was created (or not)

    @Override
    public void succeeded(Stream s) {
        stream = s;
        if (cancelled) {
            s.reset(new ResetFrame(s.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
            return;
        }
        byte[] b = pendingBody;
        if (b != null) {
            pendingBody = null;
            s.data(new DataFrame(s.getId(), ByteBuffer.wrap(b), true), Callback.from(() -> { }, t -> fail(
                    t instanceof IOException io ? io : new IOException("sending the request body failed: " + t, t), !answered, false)));
        }
    }

    @Override
    public void failed(Throwable t) {
        // the session would take no new stream: it is closing, so the server never saw this request
        fail(t instanceof IOException io ? io : new SocketException("connection closed: " + t), true, true);
    }

    // --- Stream.Listener: Jetty's threads

    @Override
    public void onHeaders(Stream s, HeadersFrame frame) {
        lastFrameNanos = System.nanoTime();
        MetaData meta = frame.getMetaData();
        if (meta instanceof MetaData.Response r) {
            int status = r.getStatus();
            if (status >= 100 && status < 200 && !frame.isEndStream()) {
                // an interim response (100 Continue, 103 Early Hints): the final one follows
                s.demand();
                return;
            }
            answered = true;
            response = r;
            long announced = r.getHttpFields().getLongField("content-length");
            if (announced > maxBody) {
                tooLarge(s);
                return;
            }
            if (announced > 0 && announced <= 64 * 1024) {
                body = new byte[(int) announced];
            }
        } else if (response == null) {
            fail(new ProtocolException("HTTP/2 response without a status"), false, false);
            cancel();
            return;
        }
        if (frame.isEndStream()) {
            done();
        } else {
            s.demand();
        }
    }

    @Override
    public void onDataAvailable(Stream s) {
        while (true) {
            Stream.Data data = s.readData();
            if (data == null) {
                s.demand();
                return;
            }
            lastFrameNanos = System.nanoTime();
            DataFrame frame = data.frame();
            boolean last = frame.isEndStream();
            try {
                if (!append(frame.getByteBuffer())) {
                    tooLarge(s);
                    return;
                }
            } finally {
                data.release();
            }
            if (last) {
                if (response == null) {
                    fail(new ProtocolException("HTTP/2 response body before its headers"), false, false);
                } else {
                    done();
                }
                return;
            }
        }
    }

    private boolean append(ByteBuffer b) {
        int n = b.remaining();
        if (n == 0) {
            return true;
        }
        if (bodyLength + (long) n > maxBody) {
            return false;
        }
        if (body == null) {
            body = new byte[Math.max(FIRST_BUFFER, n)];
        } else if (bodyLength + n > body.length) {
            long grown = Math.max((long) body.length * 2, (long) bodyLength + n);
            body = Arrays.copyOf(body, (int) Math.min(grown, Math.min(maxBody, Integer.MAX_VALUE - 16)));
        }
        b.get(body, bodyLength, n);
        bodyLength += n;
        return true;
    }

    private void tooLarge(Stream s) {
        fail(Exchanges.bodyOverLimit(maxBody), false, false);
        body = null;
        s.reset(new ResetFrame(s.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
    }

    @Override
    public void onReset(Stream s, ResetFrame frame, Callback callback) {
        int code = frame.getError();
        boolean refusedStream = code == ErrorCode.REFUSED_STREAM_ERROR.code;
        fail(new SocketException("stream reset by the server: " + ErrorCode.toString(code, "error " + code)),
                refusedStream && !answered, refusedStream);
        callback.succeeded();
    }

    @Override
    public void onFailure(Stream s, int error, String reason, Throwable failure, Callback callback) {
        connectionSuspect = true;
        fail(failure instanceof IOException io ? io
                : new SocketException("HTTP/2 " + ErrorCode.toString(error, "error " + error)
                        + (reason == null ? "" : ": " + reason)), !answered, false);
        callback.succeeded();
    }

    /** A failure before the server took the request: the exchanger may send it again on a new connection. */
    static final class NotTaken extends IOException {
        private final boolean refused;

        NotTaken(IOException cause, boolean refused) {
            super(cause.getMessage(), cause);
            this.refused = refused;
        }

        /** Whether the server said it never processed the request (GOAWAY, REFUSED_STREAM). */
        boolean refused() {
            return refused;
        }

        IOException asIOException() {
            return (IOException) getCause();
        }
    }
}
