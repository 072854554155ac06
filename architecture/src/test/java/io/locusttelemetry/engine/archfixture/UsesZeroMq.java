package io.locusttelemetry.engine.archfixture;

import org.zeromq.ZContext;

/** A class of the engine's packages that uses ZeroMQ: the architecture check must flag it. */
public final class UsesZeroMq {
    ZContext context;
}
