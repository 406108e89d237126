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

    public PropertiesComponent properties() {
        return properties;
    }
}
