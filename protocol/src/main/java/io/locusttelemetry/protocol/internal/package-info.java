/** Implementation details of the protocol module; not a public API. */
package io.locusttelemetry.protocol.internal;
