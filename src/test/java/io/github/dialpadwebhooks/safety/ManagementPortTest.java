package io.github.dialpadwebhooks.safety;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.dialpadwebhooks.support.NetworkAddresses;
import io.github.dialpadwebhooks.support.RunningApp;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The management port (health, metrics, admin API, console) is on loopback unless told otherwise; on another address
 * it serves the admin API only behind ADMIN_TOKEN, or not at all (ADMIN_API_ENABLED=false).
 */
class ManagementPortTest {

    static final String TOKEN = "management-port-token-24-chars";

    @Test
    void should_listen_on_loopback_only_by_default_while_webhooks_are_on_every_interface() throws Exception {
        InetAddress external = externalAddress();
        RunningApp app = RunningApp.create();
        app.start();
        try {
            int managementPort = app.managementUri("/").getPort();
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external, managementPort), 2000))
                        .isInstanceOf(IOException.class);
            }
            assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET()).statusCode())
                    .as("a loopback client without a token").isEqualTo(200);
            assertThat(get(external, app.uri("/webhooks/dialpad").getPort(), "/webhooks/dialpad", null)
                    .statusCode()).as("the webhook port answers on every interface (405 for GET)").isEqualTo(405);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_serve_health_and_metrics_only_when_the_admin_api_is_disabled() throws Exception {
        InetAddress external = externalAddress();
        RunningApp app = RunningApp.withProperty("camel.management.host", "0.0.0.0").and("admin.token", "")
                .and("admin.api-enabled", "false");
        app.start();
        try {
            int port = app.managementUri("/").getPort();
            assertThat(get(external, port, "/observe/health/live", null).statusCode()).isEqualTo(200);
            assertThat(get(external, port, "/observe/metrics", null).statusCode()).isEqualTo(200);
            for (String path : new String[] {"/stats", "/dead-letters", "/calls", "/console", "/console/login"}) {
                HttpResponse<String> response = get(external, port, path, null);
                assertThat(response.statusCode()).as(path).isEqualTo(404);
                assertThat(response.body()).as(path).contains("ADMIN_API_ENABLED=false");
            }
            assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET()).statusCode())
                    .as("not even from loopback").isEqualTo(404);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_require_the_token_from_another_host_when_the_management_host_is_not_loopback() throws Exception {
        InetAddress external = externalAddress();
        RunningApp app = RunningApp.withProperty("camel.management.host", "0.0.0.0").and("admin.token", TOKEN);
        app.start();
        try {
            int port = app.managementUri("/").getPort();
            assertThat(get(external, port, "/stats", null).statusCode()).isEqualTo(401);
            assertThat(get(external, port, "/calls", null).statusCode()).isEqualTo(401);
            assertThat(get(external, port, "/stats", TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(external, port, "/observe/health/live", null).statusCode()).isEqualTo(200);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_list_admin_paths_under_the_management_server_only() throws Exception {
        RunningApp app = RunningApp.create();
        app.start();
        try {
            PlatformHttpComponent component = app.camelContext().getComponent("platform-http",
                    PlatformHttpComponent.class);
            // what Camel prints as "HTTP endpoints summary" (webhook port) and "HTTP Management endpoints summary"
            assertThat(component.getHttpEndpoints()).extracting(HttpEndpointModel::getUri)
                    .containsExactlyInAnyOrder("/webhooks/dialpad", "/webhooks/dialpad/{appId}");
            assertThat(component.getHttpManagementEndpoints()).extracting(HttpEndpointModel::getUri)
                    .contains("/stats", "/dead-letters", "/calls", "/console", "/console/login");
        } finally {
            app.stop();
        }
    }

    private static InetAddress externalAddress() {
        InetAddress external = NetworkAddresses.nonLoopback();
        assumeThat(external).as("this machine has a non-loopback address").isNotNull();
        return external;
    }

    private static HttpResponse<String> get(InetAddress host, int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://" + host.getHostAddress() + ":" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return RunningApp.create().send(request);
    }
}
