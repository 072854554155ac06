package io.locusttelemetry.cli;

import io.locusttelemetry.testing.PeerProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The jlocust command in its own JVM (so a test can kill it), its output in a file; ended on close.
 * Headless unless {@code env} sets {@code LOCUST_HEADLESS}.
 */
final class JlocustProcess extends PeerProcess {

    private JlocustProcess(Process process, Path log) {
        super(process, log, "jlocust");
    }

    static JlocustProcess start(Path dir, String name, Map<String, String> env, String... args) throws IOException {
        return start(dir, name, env, List.of(), args);
    }

    /** With JVM options of its own (after the test JVM's). */
    static JlocustProcess start(Path dir, String name, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LOCUST_"));
        pb.environment().put("LOCUST_HEADLESS", "true");
        pb.environment().putAll(env);
        return new JlocustProcess(pb.start(), log);
    }

    /** Runs a diagnostic command of the JDK's {@code jcmd} against this JVM and returns what it printed. */
    String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process().pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jcmd " + command + " failed: " + out);
        }
        return out;
    }
}
