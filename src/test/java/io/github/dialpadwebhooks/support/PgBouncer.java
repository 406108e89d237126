package io.github.dialpadwebhooks.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * PgBouncer (Debian's package, /usr/sbin/pgbouncer) in <b>transaction</b> mode in front of the test database, as a
 * separate process on a free port, for the tests that check the service through it (docs/deploy.md).
 * Its log goes to target/pgbouncer.log.
 */
public final class PgBouncer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final int port;
    private final Path dir;

    private PgBouncer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    public static PgBouncer start(TestDatabase db, int poolSize) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // readable by the postgres user it switches to (it refuses to run as root)
        Path dir = Files.createTempDirectory("pgbouncer", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "* = host=" + db.host() + " port=" + db.port(),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + dir.resolve("users.txt"),
                "pool_mode = transaction",
                "default_pool_size = " + poolSize,
                "max_client_conn = 500",
                // pgjdbc sends it at start-up; PgBouncer would refuse the connection
                "ignore_startup_parameters = extra_float_digits",
                ""));
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("-u");
            command.add("postgres");
        }
        command.add(dir.resolve("pgbouncer.ini").toString());
        Path log = Path.of("target", "pgbouncer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PgBouncer bouncer = new PgBouncer(process, port, dir);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return bouncer;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        bouncer.close();
        throw new IllegalStateException("pgbouncer did not listen within 10 s: see " + log);
    }

    /**
     * The test database through PgBouncer, as a service behind PgBouncer 1.18 connects: without server-side prepared
     * statements (prepareThreshold=0), which transaction pooling cannot keep before PgBouncer 1.21.
     */
    public String jdbcUrl(TestDatabase db) {
        String url = db.jdbcUrlVia("127.0.0.1", port);
        return url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
