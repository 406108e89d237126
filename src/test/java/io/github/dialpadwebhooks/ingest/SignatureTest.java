package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpResponse;

import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dialpad signs the whole body as an HS256 JWT keyed with the webhook secret. With a secret configured, only a valid
 * HS256 signature is accepted, and every refusal is a JSON 4xx that stores nothing.
 */
class SignatureTest {

    static final String SECRET = "dialpad-webhook-secret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET)
            .and("dialpad.apps.other.secret", "another-apps-secret");

    static final String EVENT = Samples.text("call-ringing.json");

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_accept_a_jwt_signed_with_the_secret() {
        HttpResponse<String> response = app.post("/webhooks/dialpad", DialpadSigner.sign(EVENT, SECRET));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(storedRows()).isEqualTo(1);
    }

    @Test
    void should_accept_a_signed_body_surrounded_by_whitespace() {
        HttpResponse<String> response = app.post("/webhooks/dialpad", "\n" + DialpadSigner.sign(EVENT, SECRET) + "\r\n");

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void should_refuse_a_jwt_signed_with_another_secret() {
        assertRefused(app.post("/webhooks/dialpad", DialpadSigner.sign(EVENT, "wrong-secret")), 401);
    }

    @Test
    void should_use_each_apps_own_secret() {
        assertRefused(app.post("/webhooks/dialpad/other", DialpadSigner.sign(EVENT, SECRET)), 401);
        assertThat(app.post("/webhooks/dialpad/other", DialpadSigner.sign(EVENT, "another-apps-secret"))
                .statusCode()).isEqualTo(202);
    }

    @Test
    void should_fall_back_to_the_default_secret_for_an_app_without_its_own() {
        assertRefused(app.post("/webhooks/dialpad/sales", EVENT), 401);
        assertThat(app.post("/webhooks/dialpad/sales", DialpadSigner.sign(EVENT, SECRET)).statusCode())
                .isEqualTo(202);
    }

    @Test
    void should_refuse_tampered_claims() {
        String jwt = DialpadSigner.sign(EVENT, SECRET);
        String[] parts = jwt.split("\\.");
        String tampered = parts[0] + "." + DialpadSigner.b64(EVENT.replace("ringing", "hangup")) + "." + parts[2];

        assertRefused(app.post("/webhooks/dialpad", tampered), 401);
    }

    @Test
    void should_refuse_a_tampered_signature() {
        String jwt = DialpadSigner.sign(EVENT, SECRET);
        char last = jwt.charAt(jwt.length() - 1);
        String tampered = jwt.substring(0, jwt.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertRefused(app.post("/webhooks/dialpad", tampered), 401);
    }

    @Test
    void should_refuse_alg_none() {
        assertRefused(app.post("/webhooks/dialpad", DialpadSigner.unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", EVENT)),
                401);
        assertRefused(app.post("/webhooks/dialpad", DialpadSigner.unsigned("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", EVENT)),
                401);
    }

    @Test
    void should_refuse_hs512_even_with_the_right_secret() {
        String hs512 = DialpadSigner.sign("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", EVENT, "HmacSHA512", SECRET);

        assertRefused(app.post("/webhooks/dialpad", hs512), 401);
    }

    @Test
    void should_refuse_an_asymmetric_alg_used_as_hmac_key_confusion() {
        String rs256 = DialpadSigner.sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", EVENT, "HmacSHA256", SECRET);

        assertRefused(app.post("/webhooks/dialpad", rs256), 401);
    }

    @Test
    void should_refuse_unsigned_json_while_a_secret_is_set() {
        assertRefused(app.post("/webhooks/dialpad", EVENT), 401);
    }

    @Test
    void should_answer_400_for_a_signed_jwt_whose_claims_are_not_an_object() {
        assertRefused(app.post("/webhooks/dialpad", DialpadSigner.sign("[1,2,3]", SECRET)), 400);
        assertRefused(app.post("/webhooks/dialpad", DialpadSigner.sign("not json", SECRET)), 400);
    }

    @Test
    void should_answer_400_for_a_jwt_whose_header_is_not_json() {
        String jwt = DialpadSigner.b64("garbage") + "." + DialpadSigner.b64(EVENT) + ".c2ln";

        assertRefused(app.post("/webhooks/dialpad", jwt), 400);
    }

    private static void assertRefused(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(RunningApp.json(response).get("error").asText()).isNotBlank();
        assertThat(storedRows()).isZero();
    }

    private static long storedRows() {
        return Sql.count("SELECT count(*) FROM webhook_events");
    }
}
