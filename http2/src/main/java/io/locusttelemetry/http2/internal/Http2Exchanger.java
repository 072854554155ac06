package io.locusttelemetry.http2.internal;

import io.locusttelemetry.engine.http.spi.ExchangeRequest;
import io.locusttelemetry.engine.http.spi.ExchangeResponse;
import io.locusttelemetry.engine.http.spi.HttpExchanger;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * One user's HTTP/2 connections, one per origin, and its requests on them, one at a time. A request
 * that a closing connection never took (the server's GOAWAY came first, or it refused the stream),
 * or that found its reused connection dead before any response, is sent once more on a new one.
 */
public final class Http2Exchanger implements HttpExchanger {
    private Origin[] origins = new Origin[0];

    @Override
    public long exchange(ExchangeRequest request, ExchangeResponse response) throws IOException {
        Origin origin = origin(request);
        for (int attempt = 0; ; attempt++) {
            boolean reused = origin.session != null;
            Session session = session(origin, request);
            StreamExchange x = new StreamExchange(request.maxBodySize(), request.readTimeoutMillis());
            origin.current = x;
            try {
                x.send(session, frame(request), request.body());
                x.await(request.deadlineNanos());
                x.deliver(response);
                return x.receivedNanos();
            } catch (StreamExchange.NotTaken e) {
                origin.drop();
                if (attempt > 0 || Thread.currentThread().isInterrupted() || !(reused || e.refused())) {
                    throw e.asIOException();
                }
            } catch (IOException | RuntimeException | Error e) {
                if (!(e instanceof SocketTimeoutException) || x.connectionSuspect()) {
                    origin.drop();
                }
                throw e;
            } finally {
                origin.current = null;
            }
        }
    }

    private static HeadersFrame frame(ExchangeRequest r) {
        int n = r.headerCount();
        HttpFields.Mutable fields = HttpFields.build(n);
        for (int i = 0; i < n; i++) {
            fields.add(r.headerName(i), r.headerValue(i));
        }
        HttpURI uri = HttpURI.build().scheme(r.tls() ? "https" : "http").authority(r.authority()).pathQuery(r.path());
        byte[] body = r.body();
        MetaData.Request meta = new MetaData.Request(r.method(), uri, HttpVersion.HTTP_2, fields, body == null ? -1 : body.length);
        return new HeadersFrame(meta, null, body == null);
    }

    private Origin origin(ExchangeRequest r) {
        for (Origin o : origins) {
            if (o.port == r.port() && o.tls == r.tls() && o.verify == r.verifyTls() && o.host.equals(r.host())) {
                return o;
            }
        }
        Origin o = new Origin(r.host(), r.port(), r.tls(), r.verifyTls());
        Origin[] grown = Arrays.copyOf(origins, origins.length + 1);
        grown[origins.length] = o;
        origins = grown;
        return o;
    }

    /** The origin's open session, or a new one when it has none or the server is closing it. */
    private static Session session(Origin o, ExchangeRequest r) throws IOException {
        Session s = o.session;
        if (s != null && !o.closing && !s.isClosed()) {
            return s;
        }
        o.drop();
        SharedClient.Started shared = SharedClient.get();
        SslContextFactory.Client tls = !o.tls ? null : o.verify ? shared.verifying() : shared.trusting();
        CompletableFuture<Session> connecting = new CompletableFuture<>();
        Origin.Listener listener = o.newListener();
        shared.client().connect(tls, new InetSocketAddress(o.host, o.port), listener, org.eclipse.jetty.util.Promise.from(connecting));
        long waitNanos = waitForConnect(r);
        try {
            s = waitNanos > 0 ? connecting.get(waitNanos, TimeUnit.NANOSECONDS) : connecting.get();
        } catch (InterruptedException e) {
            connecting.thenAccept(late -> late.close(ErrorCode.CANCEL_STREAM_ERROR.code, "user stopped", Callback.NOOP));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("connect to " + o.host + ":" + o.port + " interrupted");
        } catch (TimeoutException e) {
            connecting.thenAccept(late -> late.close(ErrorCode.CANCEL_STREAM_ERROR.code, "connect timed out", Callback.NOOP));
            throw new SocketTimeoutException("Connect to " + o.host + ":" + o.port + " timed out");
        } catch (ExecutionException e) {
            throw Failures.connectFailed(o.host, o.port, o.tls, e.getCause());
        }
        o.session = s;
        o.listener = listener;
        return s;
    }

    private static long waitForConnect(ExchangeRequest r) throws SocketTimeoutException {
        long wait = r.connectTimeoutMillis() > 0 ? TimeUnit.MILLISECONDS.toNanos(r.connectTimeoutMillis()) : 0;
        long deadline = r.deadlineNanos();
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("total timeout reached");
            }
            wait = wait == 0 ? left : Math.min(wait, left);
        }
        return wait;
    }

    @Override
    public void close() {
        for (Origin o : origins) {
            o.drop();
        }
    }

    /** A server this user talks to, and its connection there. */
    static final class Origin {
        final String host;
        final int port;
        final boolean tls;
        final boolean verify;
        Session session;
        Listener listener;
        /** Set from Jetty's threads when the server said GOAWAY or the connection failed. */
        volatile boolean closing;
        /** The request now waiting on this connection, told when the connection dies under it. */
        volatile StreamExchange current;

        Origin(String host, int port, boolean tls, boolean verify) {
            this.host = host;
            this.port = port;
            this.tls = tls;
            this.verify = verify;
        }

        Listener newListener() {
            closing = false;
            return new Listener();
        }

        void drop() {
            Session s = session;
            session = null;
            if (listener != null) {
                listener.dropped = true;
                listener = null;
            }
            if (s != null && !s.isClosed()) {
                s.close(ErrorCode.NO_ERROR.code, null, Callback.NOOP);
            }
        }

        /** One connection's events; a dropped connection's no longer touch the origin. */
        final class Listener implements Session.Listener {
            volatile boolean dropped;

            @Override
            public void onGoAway(Session session, GoAwayFrame frame) {
                if (!dropped) {
                    closing = true;
                }
            }

            @Override
            public void onClose(Session session, GoAwayFrame frame, Callback callback) {
                lost("connection closed by the server" + (frame == null || frame.getError() == 0 ? ""
                        : ": " + ErrorCode.toString(frame.getError(), "error " + frame.getError())));
                callback.succeeded();
            }

            @Override
            public void onFailure(Session session, Throwable failure, Callback callback) {
                lost("connection failed: " + failure);
                callback.succeeded();
            }

            private void lost(String why) {
                if (dropped) {
                    return;
                }
                closing = true;
                StreamExchange x = current;
                if (x != null) {
                    x.connectionLost(why);
                }
            }
        }
    }
}
