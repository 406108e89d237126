package io.github.dialpadwebhooks.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The application as a separate process (the test class path, the same main class), for what only a real process
 * shows: SIGKILL, SIGTERM, resident memory. Its output goes to target/&lt;name&gt;.log.
 */
public final class ServiceProcess {

    private final String name;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;
    private final int managementPort;
    private Process process;
    private int starts;

    public ServiceProcess(String name, String databaseUrl) throws IOException {
        this.name = name;
        this.port = freePort();
        this.managementPort = freePort();
        env.put("DATABASE_URL", databaseUrl);
        env.put("PORT", Integer.toString(port));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("DIALPAD_WEBHOOK_SECRET", "");
    }

    public ServiceProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public void start() throws IOException {
        launch();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/observe/health/live")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Starts the process and waits for it to exit by itself (a start that is refused); its exit code. */
    public int runUntilExit(Duration timeout) throws IOException, InterruptedException {
        launch();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** What the process wrote (stdout and stderr) to target/&lt;name&gt;.log. */
    public String output() throws IOException {
        return java.nio.file.Files.readString(Path.of("target", name + ".log"));
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.github.dialpadwebhooks.Application");
        builder.directory(new File(System.getProperty("user.dir")));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/" + name + ".log")));
        process = builder.start();
        starts++;
    }

    public boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no release of claims, nothing flushed. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the exit code. */
    public int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    /** Resident set size in MB (Linux /proc). */
    public long rssMb() throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    public int starts() {
        return starts;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
