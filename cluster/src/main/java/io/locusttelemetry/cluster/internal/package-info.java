/** Implementation details of the cluster runners; not an API. */
package io.locusttelemetry.cluster.internal;
