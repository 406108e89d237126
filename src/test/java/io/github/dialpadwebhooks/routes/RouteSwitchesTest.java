package io.github.dialpadwebhooks.routes;

import io.github.dialpadwebhooks.support.RunningApp;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ingest.enabled, processor.enabled and retention.enabled keep their routes stopped (no placeholder in autoStartup),
 * and readiness stays UP.
 */
class RouteSwitchesTest {

    @Test
    void should_not_start_the_routes_a_setting_turns_off() throws Exception {
        RunningApp app = RunningApp.withProperty("processor.enabled", "false").and("retention.enabled", "false")
                .and("ingest.enabled", "false");
        app.start();
        try {
            var routes = app.camelContext().getRouteController();
            assertThat(routes.getRouteStatus("process-webhook-events")).isEqualTo(ServiceStatus.Stopped);
            assertThat(routes.getRouteStatus("delete-old-events")).isEqualTo(ServiceStatus.Stopped);
            assertThat(routes.getRouteStatus("receive-dialpad-webhook")).isEqualTo(ServiceStatus.Stopped);
            assertThat(routes.getRouteStatus("receive-dialpad-webhook-for-app")).isEqualTo(ServiceStatus.Stopped);
            assertThat(routes.getRouteStatus("get-stats")).isEqualTo(ServiceStatus.Started);
            assertThat(app.post("/webhooks/dialpad", "{}").statusCode()).as("no webhook endpoint").isEqualTo(404);
            assertThat(app.send(java.net.http.HttpRequest.newBuilder(app.managementUri("/observe/health/ready"))
                    .GET()).statusCode()).as("a route turned off is not a failed route: ready").isEqualTo(200);
        } finally {
            app.stop();
        }
        RunningApp defaults = RunningApp.create();
        defaults.start();
        try {
            var routes = defaults.camelContext().getRouteController();
            assertThat(routes.getRouteStatus("process-webhook-events")).isEqualTo(ServiceStatus.Started);
            assertThat(routes.getRouteStatus("delete-old-events")).isEqualTo(ServiceStatus.Started);
            assertThat(routes.getRouteStatus("receive-dialpad-webhook")).isEqualTo(ServiceStatus.Started);
        } finally {
            defaults.stop();
        }
    }
}
