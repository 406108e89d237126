package io.github.dialpadwebhooks.safety;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dialpadwebhooks.ingest.WebhookSecrets;
import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating the Dialpad secret loses nothing: during the change, events signed with the previous secret are accepted
 * and counted (dialpad_webhooks_previous_secret_total), so the operator sees when the rotation is done.
 */
class SecretRotationTest {

    static final String NEW = "the-new-default-secret";
    static final String OLD = "the-old-default-secret";
    static final String SALES_NEW = "the-new-sales-secret";
    static final String SALES_OLD = "the-old-sales-secret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", NEW)
            .and("dialpad.webhook-previous-secret", OLD)
            .and("dialpad.apps.sales.secret", SALES_NEW)
            .and("dialpad.apps.sales.previous-secret", SALES_OLD);

    @BeforeEach
    void clean() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_accept_and_count_events_signed_with_the_previous_secret_during_a_rotation() {
        double defaultBefore = previousSecretCount("default");
        double salesBefore = previousSecretCount("sales");

        assertThat(post("/webhooks/dialpad", event(1), NEW)).isEqualTo(202);
        assertThat(post("/webhooks/dialpad", event(2), OLD)).isEqualTo(202);
        assertThat(post("/webhooks/dialpad/any-app", event(3), OLD)).as("an app on the default secrets").isEqualTo(202);
        assertThat(post("/webhooks/dialpad", event(4), "neither-secret")).isEqualTo(401);
        assertThat(post("/webhooks/dialpad/sales", event(5), SALES_NEW)).isEqualTo(202);
        assertThat(post("/webhooks/dialpad/sales", event(6), SALES_OLD)).isEqualTo(202);
        assertThat(post("/webhooks/dialpad/sales", event(7), OLD))
                .as("an app with its own secrets does not take the default's previous one").isEqualTo(401);
        assertThat(post("/webhooks/dialpad", event(8), SALES_OLD)).isEqualTo(401);

        assertThat(previousSecretCount("default") - defaultBefore).isEqualTo(2.0);
        assertThat(previousSecretCount("sales") - salesBefore).isEqualTo(1.0);
    }

    @Test
    void should_find_per_app_secrets_given_as_environment_variables_and_nothing_else() {
        Map<String, String> env = Map.of("DIALPAD_APPS_SALES_TEAM_SECRET", "team-secret",
                "DIALPAD_APPS_SALES_TEAM_PREVIOUS_SECRET", "team-old", "DIALPAD_APPS_OPS_PREVIOUS_SECRET", "ops-old");
        // Camel's lookup of dialpad.apps.<id>.secret: the environment variable in upper case, '.' and '-' as '_'
        WebhookSecrets secrets = new WebhookSecrets(key -> Optional.ofNullable(key.equals("dialpad.webhook-secret")
                ? "default-secret" : env.get(key.toUpperCase().replace('.', '_').replace('-', '_'))),
                List.of("DIALPAD_APPS_SALES_TEAM_SECRET", "DIALPAD_APPS_SALES_TEAM_PREVIOUS_SECRET",
                        "DIALPAD_APPS_OPS_PREVIOUS_SECRET", "PATH", "HOME"));

        assertThat(new String(secrets.secretsFor("sales-team").current())).isEqualTo("team-secret");
        assertThat(new String(secrets.secretsFor("sales_team").previous())).isEqualTo("team-old");
        assertThat(secrets.secretsFor("ops").label()).as("named as configured").isEqualTo("OPS");
        assertThat(new String(secrets.secretsFor("ops").current())).as("the default, with the app's previous")
                .isEqualTo("default-secret");
        assertThat(secrets.secretsFor("someone-else").label()).isEqualTo("default");
        assertThat(secrets.appsWithOwnSecrets()).isEqualTo(2);
    }

    @Test
    void should_refuse_unsigned_events_when_signatures_are_required() {
        RunningApp strict = RunningApp.withProperty("dialpad.webhook-secret", NEW)
                .and("dialpad.require-signature", "true");
        try {
            strict.start();
            assertThat(strict.post("/webhooks/dialpad/any", event(9)).statusCode()).isEqualTo(401);
            assertThat(strict.post("/webhooks/dialpad/any", DialpadSigner.sign(event(9), NEW)).statusCode())
                    .isEqualTo(202);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                strict.stop();
            } catch (Exception ignored) {
                // stopped
            }
        }
    }

    private static String event(int n) {
        return Samples.text("call-ringing.json").replace("1731605955966", Long.toString(1731605955966L + n));
    }

    private static int post(String path, String event, String secret) {
        return app.post(path, DialpadSigner.sign(event, secret)).statusCode();
    }

    private static double previousSecretCount(String secret) {
        String metrics = app.send(HttpRequest.newBuilder(app.managementUri("/observe/metrics")).GET()).body();
        Matcher m = Pattern.compile("dialpad_webhooks_previous_secret_total\\{secret=\"" + Pattern.quote(secret)
                + "\"} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
