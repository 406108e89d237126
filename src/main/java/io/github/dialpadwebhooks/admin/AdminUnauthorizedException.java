package io.github.dialpadwebhooks.admin;

/** An admin call without the configured bearer token: 401. */
public class AdminUnauthorizedException extends RuntimeException {

    public AdminUnauthorizedException(String message) {
        super(message, null, false, false);
    }
}
