package io.locusttelemetry.engine.archfixture;

import io.locusttelemetry.cluster.MasterRunner;

/** A class of the engine's packages that knows the cluster: the architecture check must flag it. */
public final class PointsUpAtTheCluster {
    MasterRunner master;
}
