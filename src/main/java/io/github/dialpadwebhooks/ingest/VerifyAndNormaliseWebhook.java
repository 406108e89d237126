package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one step of the ingest route that needs code: takes the raw body bytes, verifies the JWT when the app has a
 * secret, parses strictly and normalises (docs/ingest.md). Reads exchange property {@code appId}; sets
 * {@code eventType}, {@code dialpadEventId} and {@code payload} (the event as JSON text), and the same four values
 * (with {@code appId}) as a Map body for the INSERT's named parameters. Throws
 * {@link WebhookRejectedException} for anything that must not be stored.
 *
 * <p>With no secret configured a JWT body is still accepted: its claims are decoded without verification, exactly as
 * unsigned JSON would be (refusing it would lose the event, since Dialpad never retries a 4xx).
 */
public final class VerifyAndNormaliseWebhook implements Processor {

    public static final String APP_ID = "appId";
    public static final String EVENT_TYPE = "eventType";
    public static final String DIALPAD_EVENT_ID = "dialpadEventId";
    public static final String PAYLOAD = "payload";

    private static final Logger LOG = LoggerFactory.getLogger(VerifyAndNormaliseWebhook.class);
    private static final Pattern APP_ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static volatile boolean loggingContext;

    private final WebhookSecrets secrets;
    private final PreviousSecretUse previousSecretUse;
    private final DialpadEventNormaliser normaliser;
    private final StrictJson json = new StrictJson();
    private volatile boolean warnedUnverified;

    public VerifyAndNormaliseWebhook(WebhookSecrets secrets, PreviousSecretUse previousSecretUse,
            DialpadEventNormaliser normaliser) {
        this.secrets = secrets;
        this.previousSecretUse = previousSecretUse;
        this.normaliser = normaliser;
    }

    @Override
    public void process(Exchange exchange) {
        String appId = exchange.getProperty(APP_ID, String.class);
        // for the JSON log format; cleared by the ingest route's last step (WebhookReceipt / WebhookFailureResponse)
        if (loggingContext) {
            MDC.put("app_id", loggableAppId(appId));
        }
        if (appId == null || !APP_ID_PATTERN.matcher(appId).matches()) {
            throw WebhookRejectedException.badRequest("invalid_app_id",
                    "app id must be 1-64 letters, digits, '_' or '-'");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        NormalisedEvent event = verifyAndNormalise(appId, body);
        exchange.setProperty(EVENT_TYPE, event.eventType());
        exchange.setProperty(DIALPAD_EVENT_ID, event.dialpadEventId());
        exchange.setProperty(PAYLOAD, event.payloadJson());
        // the row to insert, as the body: camel-sql reads :#appId etc. straight from a Map body
        exchange.getMessage().setBody(Map.of(APP_ID, appId, EVENT_TYPE, event.eventType(),
                DIALPAD_EVENT_ID, event.dialpadEventId(), PAYLOAD, event.payloadJson()));
        if (loggingContext) {
            MDC.put("event_type", event.eventType());
            MDC.put("dialpad_event_id", event.dialpadEventId());
        }
    }

    /** The app id as it may appear in a log line: itself when valid, else a placeholder. */
    static String loggableAppId(String appId) {
        return appId != null && APP_ID_PATTERN.matcher(appId).matches() ? appId : "(invalid app id)";
    }

    /** Whether app and event ids go into the logging context (only the JSON log format shows them). */
    public static void setLoggingContext(boolean enabled) {
        loggingContext = enabled;
    }

    /** Removes what {@link #process} put in the logging context. */
    static void clearLoggingContext() {
        if (!loggingContext) {
            return;
        }
        MDC.remove("app_id");
        MDC.remove("event_type");
        MDC.remove("dialpad_event_id");
    }

    NormalisedEvent verifyAndNormalise(String appId, byte[] body) {
        int start = 0;
        int end = body == null ? 0 : body.length;
        while (start < end && isWhitespace(body[start])) {
            start++;
        }
        while (end > start && isWhitespace(body[end - 1])) {
            end--;
        }
        if (start == end) {
            throw WebhookRejectedException.badRequest("empty_body", "the body is empty");
        }
        WebhookSecrets.Secrets secret = secrets.secretsFor(appId);
        if (secret == null && secrets.isSignatureRequired()) {
            throw WebhookRejectedException.unauthorized("signature_required",
                    "DIALPAD_REQUIRE_SIGNATURE is set: the body must be a signed JWT");
        }
        byte first = body[start];
        if (first == '{') {
            if (secret != null) {
                throw WebhookRejectedException.unauthorized("signature_required",
                        "this app has a secret: the body must be a JWT signed with it");
            }
            String text = StrictJson.utf8(body, "body");
            return normaliser.normalise(json.parseObject(text, "body"), text);
        }
        if (first == '[') {
            throw WebhookRejectedException.badRequest("invalid_json", "body is a JSON array, not an object");
        }
        String compact = new String(body, start, end - start, StandardCharsets.ISO_8859_1);
        if (!Hs256Jwt.looksLikeJwt(compact)) {
            throw WebhookRejectedException.badRequest("invalid_body", "body is neither a JSON object nor a JWT");
        }
        Hs256Jwt jwt = Hs256Jwt.split(compact);
        JsonNode header = jwt.header(json);
        if (secret != null) {
            if (jwt.verify(header, secret.current(), secret.previous())) {
                previousSecretUse.record(secret.label());
            }
        } else if (!warnedUnverified) {
            warnedUnverified = true;
            LOG.warn("Received a signed (JWT) webhook for app '{}' but no secret is configured: storing it "
                    + "unverified. Set DIALPAD_WEBHOOK_SECRET (or dialpad.apps.<app>.secret).", appId);
        }
        String claims = StrictJson.utf8(jwt.claimsBytes(), "JWT claims");
        return normaliser.normalise(json.parseObject(claims, "JWT claims"), claims);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
