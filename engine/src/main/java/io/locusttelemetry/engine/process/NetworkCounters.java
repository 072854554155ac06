package io.locusttelemetry.engine.process;

import io.locusttelemetry.engine.internal.ProcFs;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.NetworkIF;

/**
 * The machine's network byte counters: {@code /proc/net/dev} on Linux (one file for every
 * interface), elsewhere OSHI, which lists the interfaces again once a minute so that one added
 * during a run is counted. Where neither answers, a warning is logged once and every reading is
 * {@link NetworkBytes#NONE}. Thread-safe.
 */
public final class NetworkCounters {
    private static final Logger log = LoggerFactory.getLogger(NetworkCounters.class);
    private static final long INTERFACE_REFRESH_NANOS = 60_000_000_000L;

    /** Whether /proc/net/dev answers (Linux); otherwise OSHI lists the interfaces. */
    private boolean procNetDev = true;
    private boolean unavailable;
    private SystemInfo systemInfo;
    private List<NetworkIF> interfaces;
    private long interfacesListedAt;

    /** Sent and received bytes now, summed over all interfaces. */
    public synchronized NetworkBytes read() {
        if (unavailable) {
            return NetworkBytes.NONE;
        }
        if (procNetDev) {
            long[] fromProc = ProcFs.networkBytes();
            if (fromProc != null) {
                return new NetworkBytes(fromProc[0], fromProc[1]);
            }
            procNetDev = false;
        }
        try {
            long now = System.nanoTime();
            if (interfaces == null || now - interfacesListedAt > INTERFACE_REFRESH_NANOS) {
                if (systemInfo == null) {
                    systemInfo = new SystemInfo();
                }
                interfaces = systemInfo.getHardware().getNetworkIFs(true);
                interfacesListedAt = now;
            } else {
                for (NetworkIF nif : interfaces) {
                    nif.updateAttributes();
                }
            }
            long sent = 0;
            long received = 0;
            for (NetworkIF nif : interfaces) {
                sent += Math.max(0, nif.getBytesSent());
                received += Math.max(0, nif.getBytesRecv());
            }
            return new NetworkBytes(sent, received);
        } catch (RuntimeException | LinkageError e) {
            unavailable = true;
            log.warn("network counters unavailable, network metrics will be 0: {}", e.toString());
            return NetworkBytes.NONE;
        }
    }
}
