package io.github.dialpadwebhooks.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real application (the same {@link Main}, application.properties and YAML routes as production) started once
 * per test class on free ports, against the run's {@link TestDatabase}. Override properties win over everything,
 * including environment variables, so a developer's own DATABASE_URL never leaks into a test.
 *
 * <pre>
 * &#64;RegisterExtension
 * static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", "s3cret");
 * </pre>
 */
public final class RunningApp implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private String databaseUrl;
    private boolean proxied;
    private TcpProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Main main;
    private boolean devMode;
    private int port;
    private int managementPort;

    private RunningApp() {
    }

    public static RunningApp create() {
        return new RunningApp();
    }

    public static RunningApp withProperty(String key, String value) {
        return new RunningApp().and(key, value);
    }

    public RunningApp and(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** A bean in Camel's registry before the application's own are bound (e.g. an in-memory OpenTelemetry). */
    public RunningApp withBean(String name, Object bean) {
        beans.put(name, bean);
        return this;
    }

    /** Start as {@code java -jar … dev} does (Application.devMode: route reload and the rest of dev.properties). */
    public RunningApp inDevMode() {
        this.devMode = true;
        return this;
    }

    /** Connect through another URL instead of the test database's own. */
    public RunningApp withDatabaseUrl(String url) {
        this.databaseUrl = url;
        return this;
    }

    /**
     * Connect to the test database through a {@link TcpProxy} (opened at start, closed at stop), so that a test can
     * cut the database away and bring it back: {@link #databaseProxy()}.
     */
    public RunningApp throughProxy() {
        this.proxied = true;
        return this;
    }

    public TcpProxy databaseProxy() {
        return proxy;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public void start() throws Exception {
        port = freePort();
        managementPort = freePort();
        main = Application.create();
        if (devMode) {
            Application.devMode(main);
        }
        if (proxied) {
            TestDatabase db = TestDatabase.get();
            proxy = new TcpProxy(db.host(), db.port());
            databaseUrl = db.jdbcUrlVia("127.0.0.1", proxy.port());
        }
        main.addOverrideProperty("database.url", databaseUrl != null ? databaseUrl : TestDatabase.get().jdbcUrl());
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.port", Integer.toString(managementPort));
        main.addOverrideProperty("dialpad.webhook-secret", "");
        properties.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
        main.start();
    }

    public void stop() throws Exception {
        if (main != null) {
            main.stop();
            main = null;
        }
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public HttpResponse<String> post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public HttpResponse<String> post(String path, String body) {
        return post(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON body of an answer; an AssertionError showing the body when it is not JSON. */
    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
