package io.github.dialpadwebhooks.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * When {@code ADMIN_TOKEN} ({@code admin.token}) is set, every admin call must carry
 * {@code Authorization: Bearer <token>} (compared in constant time); otherwise it is refused with 401. Without a
 * token the admin API is open to whoever reaches the management port. The header is removed once checked, so it
 * is never logged or echoed.
 */
public final class AdminAuthorization implements Processor {

    private final byte[] token;

    public AdminAuthorization(String token) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isTokenRequired() {
        return token != null;
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (token == null) {
            return;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AdminUnauthorizedException("an Authorization: Bearer <ADMIN_TOKEN> header is required");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, given)) {
            throw new AdminUnauthorizedException("the bearer token is not the configured ADMIN_TOKEN");
        }
    }
}
