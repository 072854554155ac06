package io.locusttelemetry.http2.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile HTTP/2 server for tests, cleartext (h2c, prior knowledge): it reads the client's preface
 * and first request, then does whatever the test's script writes, frame by frame and byte by byte.
 */
final class RawH2Server implements AutoCloseable {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 1;
    static final int END_HEADERS = 4;

    /** What the server does on one connection once it has the request's HEADERS (its stream id given). */
    interface Script {
        void play(Connection c, int streamId) throws Exception;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    final AtomicInteger connections = new AtomicInteger();

    RawH2Server(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            Connection c = new Connection(s);
                            int stream = c.handshakeAndReadRequest();
                            if (stream > 0) {
                                script.play(c, stream);
                            }
                            // hold the connection until the client gives up on it
                            s.setSoTimeout(10_000);
                            while (s.getInputStream().read() >= 0) {
                                // drain
                            }
                        } catch (Exception e) {
                            // the client went away: nothing to do
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    static final class Connection {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Connection(Socket s) throws IOException {
            socket = s;
            in = new DataInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        /** Reads the preface, sends empty SETTINGS, acknowledges the client's, returns the first request's stream id. */
        int handshakeAndReadRequest() throws IOException {
            byte[] preface = new byte[24];
            in.readFully(preface);
            if (!new String(preface, StandardCharsets.US_ASCII).startsWith("PRI * HTTP/2.0")) {
                return -1;
            }
            frame(SETTINGS, 0, 0, new byte[0]);
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7FFFFFFF;
                in.readFully(new byte[length]);
                if (type == SETTINGS && (flags & 1) == 0) {
                    frame(SETTINGS, 1, 0, new byte[0]);
                } else if (type == HEADERS) {
                    return stream;
                }
            }
        }

        void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            byte[] h = {(byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length, (byte) type,
                    (byte) flags, (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream};
            out.write(h);
            out.write(payload);
            out.flush();
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }

    /** An HPACK block: indexed {@code :status 200}. */
    static byte[] status200() {
        return new byte[] {(byte) 0x88};
    }

    /** An HPACK block: {@code :status} with any value, as a literal with the indexed name. */
    static byte[] status(String value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x08);
        string(b, value.getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    /** An HPACK literal header field without indexing, new name: any bytes at all in name and value. */
    static byte[] literal(byte[] name, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x00);
        string(b, name);
        string(b, value);
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static void string(ByteArrayOutputStream b, byte[] s) {
        // 7-bit prefix integer, no Huffman
        int n = s.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7F) | 0x80);
                n >>>= 7;
            }
            b.write(n);
        }
        b.writeBytes(s);
    }
}
