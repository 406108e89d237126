package io.github.dialpadwebhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings that would make the service unsafe on a shared network stop the start, with a message that says what
 * to change (docs/security.md). Checked before anything starts (no database, no port).
 * <ul>
 * <li>{@code ADMIN_TOKEN} shorter than 24 characters;</li>
 * <li>the management port on a non-loopback address ({@code MANAGEMENT_HOST}) with the admin API on and no
 * {@code ADMIN_TOKEN};</li>
 * <li>{@code DIALPAD_REQUIRE_SIGNATURE=true} while an app would have no secret (the default secret is empty);</li>
 * <li>a previous secret without a current one.</li>
 * </ul>
 */
public final class SafeConfiguration {

    public static final int MIN_ADMIN_TOKEN_LENGTH = 24;

    private SafeConfiguration() {
    }

    /** Thrown when the configuration is unsafe; {@link Application} prints its message and exits with status 2. */
    public static final class UnsafeConfigurationException extends RuntimeException {
        UnsafeConfigurationException(String message) {
            super(message);
        }
    }

    /** @param properties resolves a property key (environment variables included) */
    public static void check(Function<String, Optional<String>> properties) {
        List<String> problems = new ArrayList<>();
        String token = value(properties, "admin.token").isBlank() ? "" : value(properties, "admin.token");
        boolean adminApi = !"false".equalsIgnoreCase(value(properties, "admin.api-enabled").trim());
        String managementHost = value(properties, "camel.management.host");
        if (!token.isEmpty() && token.length() < MIN_ADMIN_TOKEN_LENGTH) {
            problems.add("ADMIN_TOKEN (admin.token) has " + token.length() + " characters; it needs at least "
                    + MIN_ADMIN_TOKEN_LENGTH + " (e.g. openssl rand -hex 24)");
        }
        if (adminApi && token.isEmpty() && !isLoopback(managementHost.isEmpty() ? "0.0.0.0" : managementHost)) {
            problems.add("MANAGEMENT_HOST (camel.management.host) is '" + managementHost + "', which is not a "
                    + "loopback address, and ADMIN_TOKEN is empty: the admin API and the console (payloads, phone "
                    + "numbers, replay) would be open to that network. Set ADMIN_TOKEN, or ADMIN_API_ENABLED=false to "
                    + "serve health and metrics only, or MANAGEMENT_HOST=127.0.0.1");
        }
        boolean requireSignature = "true".equalsIgnoreCase(value(properties, "dialpad.require-signature").trim());
        String secret = value(properties, "dialpad.webhook-secret");
        if (requireSignature && secret.isBlank()) {
            problems.add("DIALPAD_REQUIRE_SIGNATURE is true but DIALPAD_WEBHOOK_SECRET (dialpad.webhook-secret) is "
                    + "empty: POST /webhooks/dialpad and every app without its own secret would have no secret");
        }
        if (secret.isBlank() && !value(properties, "dialpad.webhook-previous-secret").isBlank()) {
            problems.add("DIALPAD_WEBHOOK_PREVIOUS_SECRET is set but DIALPAD_WEBHOOK_SECRET is empty: set the new "
                    + "secret as DIALPAD_WEBHOOK_SECRET and the old one as DIALPAD_WEBHOOK_PREVIOUS_SECRET");
        }
        String keyDays = value(properties, "retention.idempotency-key-days").trim();
        if (!keyDays.isEmpty() && !keyDays.matches("[1-9][0-9]{0,4}")) {
            problems.add("retention.idempotency-key-days is '" + keyDays + "': idempotency keys kept less than a day "
                    + "would let Dialpad's redeliveries (retried for up to ~10 hours) be stored twice; set a whole "
                    + "number of days, at least 1 (default 7)");
        }
        if (!problems.isEmpty()) {
            throw new UnsafeConfigurationException("Refusing to start with an unsafe configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** True when every address the host names is a loopback address (a name that does not resolve is not). */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host.trim());
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String value(Function<String, Optional<String>> properties, String key) {
        return properties.apply(key).orElse("");
    }
}
