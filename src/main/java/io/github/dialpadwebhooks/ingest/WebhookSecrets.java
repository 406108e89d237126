package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HS256 secrets of each app. An app's current secret is {@code dialpad.apps.<appId>.secret} (environment
 * variable {@code DIALPAD_APPS_<APPID>_SECRET}), else the default {@code dialpad.webhook-secret}
 * ({@code DIALPAD_WEBHOOK_SECRET}). During a rotation the secret being replaced is accepted too: the app's
 * {@code dialpad.apps.<appId>.previous-secret}, else (for an app on the default secret) {@code
 * dialpad.webhook-previous-secret} ({@code DIALPAD_WEBHOOK_PREVIOUS_SECRET}). A blank secret means the app's webhooks
 * are not signed.
 * <p>
 * Every secret is read once, at start-up, from the configured keys: the map holds the configured apps only. Nothing
 * is kept per app id asked about, since the id comes from the request path and senders can invent any number of
 * them. An environment variable names an app in upper case with '-' as '_' (Camel's mapping), so
 * {@code DIALPAD_APPS_SALES_TEAM_SECRET} is the secret of {@code sales-team}, {@code sales_team} and
 * {@code Sales-Team} alike.
 */
public final class WebhookSecrets {

    private static final Pattern APP_KEY = Pattern.compile("dialpad\\.apps\\.([^.]+)\\.(secret|previous-secret)");
    private static final Pattern APP_ENV = Pattern.compile("DIALPAD_APPS_(.+?)_(PREVIOUS_SECRET|SECRET)");

    /**
     * The secrets an app's webhooks are checked with; {@code previous} is null outside a rotation, and
     * {@code label} names them in metrics and logs ("default" or the app's own).
     */
    public record Secrets(byte[] current, byte[] previous, String label) {
    }

    private final Secrets defaults;
    private final Map<String, Secrets> apps = new HashMap<>();
    private final boolean requireSignature;

    /**
     * @param properties looks up a property key (Camel's properties component, environment included)
     * @param configuredKeys the property keys and environment variable names that are set (only those of the form
     *        above are used)
     */
    public WebhookSecrets(Function<String, Optional<String>> properties, Collection<String> configuredKeys) {
        byte[] current = bytes(properties.apply("dialpad.webhook-secret"));
        byte[] previous = current == null ? null : bytes(properties.apply("dialpad.webhook-previous-secret"));
        this.defaults = current == null ? null : new Secrets(current, previous, "default");
        this.requireSignature = properties.apply("dialpad.require-signature").map(String::trim)
                .map("true"::equalsIgnoreCase).orElse(false);
        for (String app : configuredApps(configuredKeys)) {
            byte[] own = bytes(properties.apply("dialpad.apps." + app + ".secret"));
            byte[] ownPrevious = bytes(properties.apply("dialpad.apps." + app + ".previous-secret"));
            Secrets secrets = own != null ? new Secrets(own, ownPrevious, app)
                    : defaults != null && ownPrevious != null ? new Secrets(defaults.current(), ownPrevious, app)
                    : null;
            if (secrets != null) {
                apps.put(app, secrets);
                apps.putIfAbsent(envName(app), secrets);
            }
        }
    }

    /** The app's secrets, or null when its webhooks are not signed. */
    public Secrets secretsFor(String appId) {
        Secrets own = apps.get(appId);
        if (own == null) {
            own = apps.get(envName(appId));
        }
        return own != null ? own : defaults;
    }

    /** DIALPAD_REQUIRE_SIGNATURE: unsigned webhooks are refused even for an app without a secret. */
    public boolean isSignatureRequired() {
        return requireSignature;
    }

    /** How many apps have secrets of their own (for the start-up log). */
    public int appsWithOwnSecrets() {
        return (int) apps.values().stream().distinct().count();
    }

    private static Set<String> configuredApps(Collection<String> keys) {
        Set<String> found = new LinkedHashSet<>();
        for (String key : keys) {
            Matcher property = APP_KEY.matcher(key);
            Matcher env = APP_ENV.matcher(key);
            if (property.matches()) {
                found.add(property.group(1));
            } else if (env.matches()) {
                found.add(env.group(1));
            }
        }
        return found;
    }

    private static String envName(String appId) {
        return appId.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static byte[] bytes(Optional<String> secret) {
        return secret.filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }
}
