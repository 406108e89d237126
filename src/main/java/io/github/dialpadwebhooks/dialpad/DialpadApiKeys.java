package io.github.dialpadwebhooks.dialpad;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dialpad API keys of each app: {@code dialpad.api-key} ({@code DIALPAD_API_KEY}) for the default app (webhooks
 * posted to {@code /webhooks/dialpad}), {@code dialpad.apps.<appId>.api-key} for an app of its own (environment:
 * {@code DIALPAD_APPS_<APPID>_API_KEY}, the app id in lower case with '_' as '-'). Read once at start-up. A key is
 * never logged or shown: {@link #toString()} names the apps only.
 */
public final class DialpadApiKeys {

    public static final String DEFAULT_APP = "default";
    private static final Pattern APP_KEY = Pattern.compile("dialpad\\.apps\\.([^.]+)\\.api-key");
    private static final Pattern APP_ENV = Pattern.compile("DIALPAD_APPS_(.+?)_API_KEY");

    private final Map<String, String> keys = new TreeMap<>();

    /**
     * @param properties looks up a property key (environment included)
     * @param configuredKeys the property keys and environment variable names that are set
     */
    public DialpadApiKeys(Function<String, Optional<String>> properties, Collection<String> configuredKeys) {
        properties.apply("dialpad.api-key").filter(k -> !k.isBlank()).ifPresent(k -> keys.put(DEFAULT_APP, k.trim()));
        for (String name : configuredKeys) {
            Matcher property = APP_KEY.matcher(name);
            Matcher env = APP_ENV.matcher(name);
            if (property.matches()) {
                properties.apply(name).filter(k -> !k.isBlank()).ifPresent(k -> keys.put(property.group(1), k.trim()));
            } else if (env.matches()) {
                String app = env.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
                Optional.ofNullable(System.getenv(name)).filter(k -> !k.isBlank())
                        .ifPresent(k -> keys.putIfAbsent(app, k.trim()));
            }
        }
    }

    /** The apps with a key, in name order. */
    public Collection<String> apps() {
        return keys.keySet();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public Optional<String> keyOf(String appId) {
        return Optional.ofNullable(keys.get(appId));
    }

    @Override
    public String toString() {
        return "Dialpad API keys for apps " + keys.keySet();
    }
}
