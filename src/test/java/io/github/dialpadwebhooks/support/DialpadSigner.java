package io.github.dialpadwebhooks.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a body the way Dialpad does when its webhook has a secret: a compact JWT, header
 * {@code {"alg":"HS256","typ":"JWT"}}, the event as the claims, HMAC-SHA256 keyed with the secret's UTF-8 bytes.
 * Written apart from the production verifier on purpose.
 */
public final class DialpadSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DialpadSigner() {
    }

    public static String sign(String claimsJson, String secret) {
        return sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claimsJson, "HmacSHA256", secret);
    }

    public static String sign(String headerJson, String claimsJson, String macAlgorithm, String secret) {
        String signingInput = b64(headerJson) + "." + b64(claimsJson);
        return signingInput + "." + B64.encodeToString(mac(macAlgorithm, secret, signingInput));
    }

    public static String unsigned(String headerJson, String claimsJson) {
        return b64(headerJson) + "." + b64(claimsJson) + ".";
    }

    public static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(String algorithm, String secret, String input) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
