package io.locusttelemetry.telemetry.archfixture;

import io.locusttelemetry.engine.internal.TaskModel;

/** A class of the telemetry module's packages that uses an engine internal: the architecture check must flag it. */
public final class ReachesIntoEngineInternals {
    TaskModel model;
}
