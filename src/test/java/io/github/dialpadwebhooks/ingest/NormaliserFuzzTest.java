package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.support.ApplicationProperties;
import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Mutation fuzzing of verification and normalisation (seeded, replayable with -Dfuzz.seed, -Dfuzz.iterations;
 * random mutations of the real samples, not coverage-guided): every input either becomes an event with an event
 * type, an id and a payload that is one JSON object, or is refused with a {@link WebhookRejectedException} (a 4xx).
 * Anything else (a NullPointerException, a StackOverflowError, ...) would be a 5xx and fails the test. And no body
 * changed after it was signed, and no unsigned body, is ever accepted by an app with a secret: the test fails if
 * signature checking is removed.
 */
class NormaliserFuzzTest {

    static final String SECRET = "fuzz-secret";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void should_only_ever_normalise_or_reject_mutated_webhooks() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int iterations = Integer.getInteger("fuzz.iterations", 20_000);
        System.out.println("NormaliserFuzzTest: -Dfuzz.seed=" + seed + " -Dfuzz.iterations=" + iterations);
        Random random = new Random(seed);
        PreviousSecretUse noMetrics = new PreviousSecretUse(null, java.time.Clock.systemUTC());
        VerifyAndNormaliseWebhook open = new VerifyAndNormaliseWebhook(
                new WebhookSecrets(k -> Optional.empty(), List.of()), noMetrics, ApplicationProperties.normaliser());
        VerifyAndNormaliseWebhook signed = new VerifyAndNormaliseWebhook(new WebhookSecrets(
                k -> k.equals("dialpad.webhook-secret") ? Optional.of(SECRET) : Optional.empty(), List.of()),
                noMetrics, ApplicationProperties.normaliser());
        List<String> seeds = List.of(Samples.text("call-ringing.json"), Samples.text("call-hangup.json"),
                Samples.text("sms-inbound.json"), "{\"event_type\":\"x\",\"id\":1,\"payload\":{\"a\":[1,2.5e3]}}",
                "{\"call_id\":9007199254740993,\"state\":\"hold\",\"event_timestamp\":1}");
        int accepted = 0;
        int rejected = 0;
        int forgeriesRefused = 0;
        for (int i = 0; i < iterations; i++) {
            String json = mutate(seeds.get(random.nextInt(seeds.size())), random);
            boolean sign = random.nextBoolean();
            byte[] original = (sign ? DialpadSigner.sign(json, SECRET) : json).getBytes(StandardCharsets.UTF_8);
            byte[] body = random.nextInt(10) == 0 ? mutateBytes(original, random) : original;
            // a signed body changed after signing, or an unsigned body sent to an app with a secret: a forgery
            boolean forged = sign && !java.util.Arrays.equals(body, original) || !sign && random.nextInt(4) == 0;
            VerifyAndNormaliseWebhook verifier = sign || forged ? signed : open;
            try {
                NormalisedEvent event = verifier.verifyAndNormalise("default", body);
                if (forged) {
                    fail("seed " + seed + " iteration " + i + ": a forged body was accepted: "
                            + new String(body, StandardCharsets.UTF_8));
                }
                assertThat(event.eventType()).isNotBlank();
                assertThat(event.dialpadEventId()).isNotBlank();
                assertThat(MAPPER.readTree(event.payloadJson()).isObject()).isTrue();
                accepted++;
            } catch (WebhookRejectedException e) {
                assertThat(e.status()).isBetween(400, 499);
                rejected++;
                forgeriesRefused += forged ? 1 : 0;
            } catch (Throwable t) {
                fail("seed " + seed + " iteration " + i + ": " + t + " for input " + json, t);
            }
        }
        System.out.println("NormaliserFuzzTest: " + accepted + " normalised, " + rejected + " rejected (of which "
                + forgeriesRefused + " forged bodies), 0 errors");
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
        assertThat(forgeriesRefused).isGreaterThan(iterations / 20);
    }

    private static String mutate(String json, Random random) {
        StringBuilder s = new StringBuilder(json);
        int mutations = 1 + random.nextInt(4);
        String alphabet = "{}[]\",:0123456789.eE+-tfnul\\ \u00e9\u0000\ud800abc";
        for (int m = 0; m < mutations && s.length() > 0; m++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(6)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 2 -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(40))));
                case 4 -> s.replace(at, Math.min(s.length(), at + random.nextInt(20)), "");
                default -> s.insert(at, "[".repeat(random.nextInt(300)));
            }
        }
        return s.toString();
    }

    private static byte[] mutateBytes(byte[] body, Random random) {
        byte[] copy = body.clone();
        copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        return copy;
    }
}
