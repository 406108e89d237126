package io.github.dialpadwebhooks;

import java.util.Optional;

import org.apache.camel.spi.PropertiesComponent;

/** Typed reads of application.properties (environment variables and -D overrides included), with defaults. */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public Optional<String> value(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String text(String key, String defaultValue) {
        return value(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return value(key).map(Integer::parseInt).orElse(defaultValue);
    }

    public long number(String key, long defaultValue) {
        return value(key).map(Long::parseLong).orElse(defaultValue);
    }

    public boolean flag(String key, boolean defaultValue) {
        return value(key).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    /**
     * The property keys with this prefix, and every system property and environment variable name: where per-app
     * settings (dialpad.apps.<appId>.*, DIALPAD_APPS_<APPID>_*) are looked for.
     */
    public java.util.Set<String> configuredKeys(String prefix) {
        java.util.Set<String> keys = new java.util.HashSet<>(properties.loadProperties(k -> k.startsWith(prefix))
                .stringPropertyNames());
        keys.addAll(System.getProperties().stringPropertyNames());
        keys.addAll(System.getenv().keySet());
        return keys;
    }

    /** The HS256 secret of an app's webhooks: its own (dialpad.apps.<appId>.secret), else the default one. */
    public Optional<String> webhookSecret(String appId) {
        return value("dialpad.apps." + appId + ".secret").or(() -> value("dialpad.webhook-secret"));
    }

    public PropertiesComponent properties() {
        return properties;
    }
}
