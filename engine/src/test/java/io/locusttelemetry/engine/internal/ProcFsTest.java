package io.locusttelemetry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

/** Resident memory and network bytes read from /proc, against what the kernel reports elsewhere. */
class ProcFsTest {

    @Test
    void netDevSumsBytesOfEveryInterfaceLoopbackIncluded() {
        String text = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo: 223008492630 825899701    0  108    0     0          0         0 223008492630 825899701    0    0    0     0       0          0
                  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
                  eth0: 301281246   12745    0    0    0     0          0         0  1042462    9225    0    0    0     0       0          0
                """;

        long[] sentReceived = ProcFs.parseNetDev(text.getBytes(StandardCharsets.US_ASCII));

        assertThat(sentReceived).containsExactly(223008492630L + 1042462L, 223008492630L + 301281246L);
    }

    @Test
    void netDevWithoutInterfaceLinesIsUnavailable() {
        assertThat(ProcFs.parseNetDev("Inter-|\n face |\n".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(ProcFs.parseNetDev(new byte[0])).isNull();
    }

    @Test
    void networkBytesLieBetweenTheInterfaceCountersReadBeforeAndAfter() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/net/dev")), "Linux only");
        long[] before = sysClassNet();

        long[] fromProc = ProcFs.networkBytes();

        long[] after = sysClassNet();
        assertThat(fromProc).isNotNull();
        assertThat(fromProc[0]).isBetween(before[0], after[0]);
        assertThat(fromProc[1]).isBetween(before[1], after[1]);
    }

    @Test
    void residentMemoryIsWhatOshiReportsForThisProcess() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        var process = new SystemInfo().getOperatingSystem().getCurrentProcess();

        long rss = ProcFs.residentBytes();

        process.updateAttributes();
        assertThat(rss).isPositive().isCloseTo(process.getResidentSetSize(), org.assertj.core.data.Percentage.withPercentage(10));
    }

    /** {sent, received} summed over /sys/class/net/{iface}/statistics. */
    private static long[] sysClassNet() throws IOException {
        long sent = 0;
        long received = 0;
        try (Stream<Path> ifaces = Files.list(Path.of("/sys/class/net"))) {
            for (Path iface : ifaces.filter(p -> Files.isReadable(p.resolve("statistics/tx_bytes"))).toList()) {
                sent += Long.parseLong(Files.readString(iface.resolve("statistics/tx_bytes")).trim());
                received += Long.parseLong(Files.readString(iface.resolve("statistics/rx_bytes")).trim());
            }
        }
        return new long[] {sent, received};
    }
}
