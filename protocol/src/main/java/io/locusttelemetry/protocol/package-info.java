/**
 * Locust's master/worker wire protocol: the msgpack message codec ({@link
 * io.locusttelemetry.protocol.MessageCodec}), typed views of the built-in messages ({@link
 * io.locusttelemetry.protocol.LocustMessage}) and the ZeroMQ transport ({@link
 * io.locusttelemetry.protocol.MasterServer}, {@link io.locusttelemetry.protocol.WorkerConnection}).
 * Frames are byte-compatible with Locust 2.12.1 and later Python peers.
 */
package io.locusttelemetry.protocol;
