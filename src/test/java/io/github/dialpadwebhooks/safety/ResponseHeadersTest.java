package io.github.dialpadwebhooks.safety;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No response on either port carries a header copied from the request's headers or query parameters: a link
 * cannot plant a cookie or open the data to another site.
 */
class ResponseHeadersTest {

    static final String TOKEN = "response-headers-token-24chars";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN);

    /** Header names every probe sends, as query parameters and as request headers. */
    static final List<String> PLANTED = List.of("Set-Cookie", "Access-Control-Allow-Origin",
            "Access-Control-Allow-Credentials", "Location", "Refresh", "Content-Security-Policy", "Cache-Control",
            "X-Frame-Options", "WWW-Authenticate", "Content-Type", "Link", "X-Planted", "Retry-After");
    static final String VALUE = "planted-by-the-caller";

    /** What a response may carry at all. */
    static final Set<String> ANSWERED = Set.of("content-type", "content-length", "transfer-encoding", "connection",
            "set-cookie", "www-authenticate", "allow", "retry-after", "cache-control", "content-security-policy",
            "x-content-type-options", "x-frame-options", "referrer-policy");

    @Test
    void should_never_answer_with_a_header_the_request_named() {
        String query = "?" + String.join("&", PLANTED.stream().map(h -> h + "=" + VALUE).toList());
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/stats", "/stats/history", "/dead-letters", "/dead-letters/" + java.util.UUID
                .randomUUID(), "/dead-letters/not-a-uuid", "/calls", "/calls/1", "/console", "/console/session",
                "/console/assets/console.js", "/console/assets/nope.js", "/observe/health", "/observe/metrics",
                "/no-such-path")) {
            check(problems, "GET " + path, request(app.managementUri(path + query)).GET(), true);
            check(problems, "GET " + path + " (no token)", request(app.managementUri(path + query)).GET(), false);
        }
        check(problems, "POST /console/login", request(app.managementUri("/console/login" + query))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}")), false);
        check(problems, "POST /console/login (wrong)", request(app.managementUri("/console/login" + query))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"wrong\"}")), false);
        check(problems, "POST /console/logout", request(app.managementUri("/console/logout" + query))
                .POST(HttpRequest.BodyPublishers.noBody()), false);
        check(problems, "POST /dead-letters/replay", request(app.managementUri("/dead-letters/replay" + query))
                .POST(HttpRequest.BodyPublishers.noBody()), true);
        for (String path : List.of("/webhooks/dialpad", "/webhooks/dialpad/sales", "/webhooks/other")) {
            check(problems, "POST " + path, request(app.uri(path + query))
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.text("call-ringing.json"))), false);
            check(problems, "POST " + path + " (bad body)", request(app.uri(path + query))
                    .POST(HttpRequest.BodyPublishers.ofString("{not json")), false);
            check(problems, "GET " + path, request(app.uri(path + query)).GET(), false);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void should_answer_the_issue_probe_without_the_planted_headers() {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(
                app.managementUri("/stats?Access-Control-Allow-Origin=*&Set-Cookie=x%3D1"))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    private static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        for (String header : PLANTED) {
            if (!Set.of("content-type").contains(header.toLowerCase(Locale.ROOT))) {
                request.header(header, VALUE);
            }
        }
        request.header("Content-Type", "text/html; " + VALUE);
        return request;
    }

    private static void check(List<String> problems, String what, HttpRequest.Builder request, boolean withToken) {
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        HttpResponse<String> response = app.send(request);
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(":status")) {
                continue;
            }
            if (!ANSWERED.contains(name)) {
                problems.add(what + " (" + response.statusCode() + ") answered with " + header);
            }
            for (String value : header.getValue()) {
                if (value.contains(VALUE)) {
                    problems.add(what + " (" + response.statusCode() + ") echoed " + header);
                }
            }
        }
    }
}
