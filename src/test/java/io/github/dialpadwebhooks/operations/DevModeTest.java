package io.github.dialpadwebhooks.operations;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dev mode: saving a route file of a running instance changes its behaviour, without a restart. */
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
            Files.writeString(route, edited);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stats(app).contains("edited in dev mode"));
            // the rest of the service still runs: the webhook endpoint answers
            assertThat(app.post("/webhooks/dialpad", "{}").statusCode()).isBetween(200, 499);
        } finally {
            app.stop();
        }
    }

    private static String stats(RunningApp app) {
        return app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET()).body();
    }
}
