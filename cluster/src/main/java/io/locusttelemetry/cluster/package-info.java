/**
 * Distributed runs on Locust's own master/worker protocol: {@link io.locusttelemetry.cluster.MasterRunner}
 * dispatches users to workers and merges their statistics, {@link io.locusttelemetry.cluster.WorkerRunner}
 * runs the users a master assigns. Either side interoperates with Python Locust 2.x peers.
 */
package io.locusttelemetry.cluster;
