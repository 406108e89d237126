package io.github.dialpadwebhooks.admin;

/** An admin call that is authenticated but refused: a cross-site POST, or a console POST without its CSRF token. */
public class AdminForbiddenException extends RuntimeException {

    public AdminForbiddenException(String message) {
        super(message, null, false, false);
    }
}
