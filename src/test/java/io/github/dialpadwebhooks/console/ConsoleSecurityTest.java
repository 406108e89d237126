package io.github.dialpadwebhooks.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's HTTP contract with ADMIN_TOKEN set, without a browser: sign-in, the session cookie, CSRF on POSTs,
 * cross-site refusal, the static files and their security headers.
 */
class ConsoleSecurityTest {

    static final String TOKEN = "console-security-token-of-24-chars";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN);

    @BeforeEach
    void setUp() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_answer_a_visitor_without_a_session_with_401_and_the_sign_in_form_only() {
        HttpResponse<String> page = get("/console", null);
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("id=\"login-form\"").doesNotContain("id=\"overview\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        for (String path : new String[] {"/stats", "/stats/history", "/calls", "/calls/1", "/dead-letters",
                "/console/session"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/console", "dialpad_admin_session=v1.9999999999.forged").statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/console"))
                .header("Authorization", "Bearer wrong").GET()).statusCode()).isEqualTo(401);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/console"))
                .header("Authorization", "Bearer " + TOKEN).GET()).statusCode())
                .as("the bearer token opens the page too").isEqualTo(200);
    }

    @Test
    void should_sign_in_with_the_admin_token_only_and_set_a_strict_http_only_cookie() {
        assertThat(login("wrong", null).statusCode()).isEqualTo(401);
        assertThat(login("", null).statusCode()).isEqualTo(401);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))).statusCode())
                .as("a form post is not JSON: refused, and no 500").isEqualTo(401);

        HttpResponse<String> ok = login(TOKEN, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("dialpad_admin_session=v2.").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=43200");
        assertThat(ok.body()).doesNotContain(TOKEN);

        String cookie = cookie(ok);
        HttpResponse<String> page = get("/console", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"overview\"");
        assertThat(get("/stats", cookie).statusCode()).isEqualTo(200);
        assertThat(json(get("/console/session", cookie)).get("csrf_token").asText()).hasSizeGreaterThan(20);
    }

    @Test
    void should_refuse_console_posts_without_the_sessions_csrf_token() {
        String cookie = cookie(login(TOKEN, null));
        String csrf = json(get("/console/session", cookie)).get("csrf_token").asText();

        assertThat(post("/dead-letters/replay?all=true", cookie, null, null).statusCode()).isEqualTo(403);
        assertThat(post("/dead-letters/replay?all=true", cookie, "wrong", null).statusCode()).isEqualTo(403);
        String otherSessionsCsrf = json(get("/console/session", cookie(login(TOKEN, null)))).get("csrf_token").asText();
        assertThat(post("/dead-letters/replay?all=true", cookie, otherSessionsCsrf, null).statusCode())
                .as("another session's token").isEqualTo(403);
        HttpResponse<String> ok = post("/dead-letters/replay?all=true", cookie, csrf, null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).get("requeued").asInt()).isZero();
        assertThat(post("/dead-letters/replay?all=true", cookie, csrf, "http://evil.example").statusCode())
                .as("from another site even with the token").isEqualTo(403);
        assertThat(post("/dead-letters/replay?all=true", cookie, csrf, app.managementUri("").toString()).statusCode())
                .as("from the console's own origin").isEqualTo(200);
    }

    @Test
    void should_let_bearer_scripts_post_without_csrf_but_not_from_another_site() {
        HttpRequest.Builder bearer = HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody());
        assertThat(app.send(bearer).statusCode()).isEqualTo(200);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .header("Authorization", "Bearer " + TOKEN).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .header("Authorization", "Bearer " + TOKEN).header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(login(TOKEN, "https://evil.example").statusCode()).as("sign-in from another site").isEqualTo(403);
    }

    @Test
    void should_serve_the_console_files_and_nothing_else_from_the_assets_path() {
        HttpResponse<String> script = get("/console/assets/console.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(get("/console/assets/console.css", null).statusCode()).isEqualTo(200);
        assertThat(get("/console/assets/index.html", null).statusCode()).as("the page only through /console").isEqualTo(404);
        assertThat(get("/console/assets/..%2Fapplication.properties", null).statusCode()).isEqualTo(404);
        assertThat(get("/console/assets/nope.js", null).statusCode()).isEqualTo(404);
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/console")).GET()).statusCode())
                .as("never on the webhook port").isEqualTo(404);
    }

    @Test
    void should_refuse_a_large_admin_body_before_reading_it() {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri("/console/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
    }

    @Test
    void should_end_the_session_server_side_on_sign_out() {
        String cookie = cookie(login(TOKEN, null));
        String other = cookie(login(TOKEN, null));
        String csrf = json(get("/console/session", cookie)).get("csrf_token").asText();
        assertThat(get("/stats", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> out = post("/console/logout", cookie, null, null);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(v -> assertThat(v).contains("Max-Age=0"));

        // a copy of the old cookie (kept by another tab, a proxy log, an attacker) can do nothing any more
        assertThat(get("/stats", cookie).statusCode()).isEqualTo(401);
        assertThat(get("/console", cookie).statusCode()).isEqualTo(401);
        assertThat(get("/console/session", cookie).statusCode()).isEqualTo(401);
        assertThat(post("/dead-letters/replay?all=true", cookie, csrf, null).statusCode()).isEqualTo(401);
        assertThat(get("/stats", other).statusCode()).as("another session goes on").isEqualTo(200);
    }

    private static HttpResponse<String> login(String token, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.managementUri("/console/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return app.send(request);
    }

    private static String cookie(HttpResponse<String> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.managementUri(path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return app.send(request);
    }

    private static HttpResponse<String> post(String path, String cookie, String csrf, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.managementUri(path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return app.send(request);
    }
}
