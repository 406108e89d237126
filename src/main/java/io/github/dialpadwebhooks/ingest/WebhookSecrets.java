package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The HS256 secret of each app: {@code dialpad.apps.<appId>.secret} (or the environment variable
 * {@code DIALPAD_APPS_<APPID>_SECRET}), else the default {@code dialpad.webhook-secret}
 * ({@code DIALPAD_WEBHOOK_SECRET}). A blank secret means the app's webhooks are not signed.
 */
public final class WebhookSecrets {

    private static final byte[] NONE = new byte[0];

    private final Function<String, Optional<String>> properties;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** @param properties looks up a property key (Camel's properties component, environment included) */
    public WebhookSecrets(Function<String, Optional<String>> properties) {
        this.properties = properties;
    }

    /** The secret's UTF-8 bytes, or null when the app has none. */
    public byte[] secretFor(String appId) {
        byte[] secret = cache.computeIfAbsent(appId, this::lookup);
        return secret.length == 0 ? null : secret;
    }

    private byte[] lookup(String appId) {
        return properties.apply("dialpad.apps." + appId + ".secret")
                .filter(s -> !s.isBlank())
                .or(() -> properties.apply("dialpad.webhook-secret").filter(s -> !s.isBlank()))
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElse(NONE);
    }
}
