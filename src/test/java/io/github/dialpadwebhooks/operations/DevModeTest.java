package io.github.dialpadwebhooks.operations;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.dialpadwebhooks.support.NetworkAddresses;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestFiles;
import org.apache.camel.spi.CliConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dev mode: saving a route file of a running instance changes its behaviour, without a restart; Camel's CLI connector
 * and developer console are there in dev mode only, the console for loopback clients only.
 */
class DevModeTest {

    @Test
    void should_reload_an_edited_route_file_without_a_restart(@TempDir Path work) throws Exception {
        Path routes = work.resolve("routes");
        TestFiles.copyTree(Path.of("routes"), routes);
        RunningApp app = RunningApp.create().inDevMode()
                .and("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/**/*.camel.yaml")
                .and("camel.main.routes-reload-directory", routes.toAbsolutePath().toString());
        app.start();
        try {
            assertThat(stats(app)).contains("\"unprocessed\"").doesNotContain("edited in dev mode");

            // an engineer edits the stats route in a sub-folder and saves it
            Path route = routes.resolve("operations/get-stats.camel.yaml");
            String setHeader = "        - setHeader:\n            name: Content-Type\n            constant: application/json\n";
            String edited = Files.readString(route).replace(setHeader,
                    "        - setBody:\n            simple: '{\"note\": \"edited in dev mode\"}'\n" + setHeader);
            assertThat(edited).as("the edit applies to the file as shipped").contains("edited in dev mode");
            long saved = System.nanoTime();
            Files.writeString(route, edited);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stats(app).contains("edited in dev mode"));
            System.out.printf("dev mode: the edited route answered %d ms after the file was saved%n",
                    (System.nanoTime() - saved) / 1_000_000);
            // the rest of the service still runs: the webhook endpoint answers
            assertThat(app.post("/webhooks/dialpad", "{}").statusCode()).isBetween(200, 499);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_attach_camel_developer_tools_in_dev_mode_only_and_serve_the_console_to_loopback_only()
            throws Exception {
        RunningApp dev = RunningApp.create().inDevMode().and("camel.main.routes-reload-enabled", "false")
                .and("camel.management.host", "0.0.0.0").and("admin.token", "dev-mode-token-24-characters");
        dev.start();
        try {
            // camel-cli-connector: `camel get`, `camel trace` find this process by its files in ~/.camel
            assertThat(dev.camelContext().hasService(CliConnector.class)).isNotNull();
            Path status = Path.of(System.getProperty("user.home"), ".camel",
                    ProcessHandle.current().pid() + "-status.json");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(status));
            // Camel's developer console on the management port, from loopback
            HttpResponse<String> console = dev.send(HttpRequest.newBuilder(dev.managementUri("/q/dev")).GET());
            assertThat(console.statusCode()).isEqualTo(200);
            assertThat(console.body()).contains("route");
            // and from any other address not at all, even with the admin token
            InetAddress external = NetworkAddresses.nonLoopback();
            if (external != null) {
                URI remote = URI.create("http://" + external.getHostAddress() + ":"
                        + dev.managementUri("/").getPort() + "/q/dev");
                assertThat(dev.send(HttpRequest.newBuilder(remote).header("Authorization",
                        "Bearer dev-mode-token-24-characters").GET()).statusCode()).isEqualTo(403);
            }
        } finally {
            dev.stop();
        }

        RunningApp normal = RunningApp.create();
        normal.start();
        try {
            assertThat(normal.camelContext().hasService(CliConnector.class)).isNull();
            assertThat(normal.send(HttpRequest.newBuilder(normal.managementUri("/q/dev")).GET()).statusCode())
                    .isEqualTo(404);
        } finally {
            normal.stop();
        }
    }

    private static String stats(RunningApp app) {
        return app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET()).body();
    }
}
