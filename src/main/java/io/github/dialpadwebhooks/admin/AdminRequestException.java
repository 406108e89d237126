package io.github.dialpadwebhooks.admin;

/** An admin call that cannot be done as asked: answered with its status and a JSON error ({@code code}, message). */
public final class AdminRequestException extends RuntimeException {

    private final int status;
    private final String code;

    public AdminRequestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
