package io.locusttelemetry.bench.merge;

import java.nio.file.Path;

/** The simulator's command line: where the master is, how many workers, and how they report. */
record SimConfig(String host, int port, int workers, double intervalSeconds, double heartbeatSeconds, double rps,
        int entries, String version, Path status, Path latency, boolean aligned, long seed, String hostPart,
        int connectRate) {

    static SimConfig parse(String[] args) {
        String host = "127.0.0.1";
        int port = 5557;
        int workers = 50;
        double interval = 3.0;
        double heartbeat = 1.0;
        double rps = 1000;
        int entries = 10;
        String version = "2.46.3";
        Path status = null;
        Path latency = null;
        boolean aligned = false;
        long seed = 42;
        String hostPart = "sim";
        int connectRate = 1000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--interval" -> interval = Double.parseDouble(args[++i]);
                case "--heartbeat-interval" -> heartbeat = Double.parseDouble(args[++i]);
                case "--rps" -> rps = Double.parseDouble(args[++i]);
                case "--entries" -> entries = Integer.parseInt(args[++i]);
                case "--version" -> version = args[++i];
                case "--status" -> status = Path.of(args[++i]);
                case "--latency" -> latency = Path.of(args[++i]);
                case "--aligned" -> aligned = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--host-part" -> hostPart = args[++i];
                case "--connect-rate" -> connectRate = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("""
                            MergeSimulator --port P [--host 127.0.0.1] [--workers 50] [--interval 3] \
                            [--heartbeat-interval 1] [--rps 1000] [--entries 10] [--version 2.46.3|-1] \
                            [--status FILE] [--latency FILE] [--aligned] [--seed 42] [--host-part sim] [--connect-rate 1000]""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (workers < 1 || entries < 1 || interval <= 0 || heartbeat <= 0 || rps < 0 || connectRate < 1) {
            throw new IllegalArgumentException("workers, entries, intervals and the connect rate must be positive");
        }
        return new SimConfig(host, port, workers, interval, heartbeat, rps, entries, version, status, latency, aligned, seed,
                hostPart, connectRate);
    }
}
