package io.locusttelemetry.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends every request of this {@link HttpUser} class over HTTP/2: h2 negotiated with ALPN for
 * {@code https} hosts, h2c with prior knowledge for {@code http} hosts. Each user keeps its own
 * connection per origin and sends one request at a time, as over HTTP/1.1; statistics, events,
 * traces and cookies are the same. The same as calling {@code client.http2()} in the constructor.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface Http2 {}
