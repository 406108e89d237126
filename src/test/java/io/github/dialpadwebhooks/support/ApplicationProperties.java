package io.github.dialpadwebhooks.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import io.github.dialpadwebhooks.ingest.CallEventTypes;
import io.github.dialpadwebhooks.ingest.DialpadEventNormaliser;

/** The repository's application.properties, for unit tests of classes the app configures from it. */
public final class ApplicationProperties {

    private static final Properties PROPERTIES = load();

    private ApplicationProperties() {
    }

    /** The call state mapping as application.properties has it. */
    public static CallEventTypes callEventTypes() {
        return CallEventTypes.from(key -> Optional.ofNullable(PROPERTIES.getProperty(key)),
                PROPERTIES.stringPropertyNames());
    }

    public static DialpadEventNormaliser normaliser() {
        return new DialpadEventNormaliser(callEventTypes());
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
