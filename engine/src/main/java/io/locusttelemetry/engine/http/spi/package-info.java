/**
 * What a module implements to give {@link io.locusttelemetry.engine.http.HttpSession} a wire protocol
 * beside its own HTTP/1.1: jlocust's {@code http2} module provides HTTP/2 this way. The session keeps
 * everything else (URLs, redirects, cookies, timeouts' meaning, statistics, events, traces), so a user
 * switching protocols changes nothing in a report but the bytes on the wire.
 *
 * <p>A provider is a {@link HttpProtocol} listed in {@code META-INF/services}; it is looked up once,
 * the first time a session asks for its protocol.
 */
package io.locusttelemetry.engine.http.spi;
