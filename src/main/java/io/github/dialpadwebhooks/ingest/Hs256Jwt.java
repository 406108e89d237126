package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Dialpad's signature scheme: the whole body is a compact JWS ({@code header.claims.signature}) signed with HS256, the
 * key being the webhook secret's UTF-8 bytes. Only {@code alg: HS256} is accepted: {@code none}, other HMAC sizes and
 * asymmetric algorithms (key confusion) are refused. The JDK's {@link Mac} does the HMAC; the comparison is constant
 * time on the base64url text, so a signature has exactly one accepted spelling.
 */
public final class Hs256Jwt {


    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder B64URL_NOPAD = Base64.getUrlEncoder().withoutPadding();

    private final String headerPart;
    private final String claimsPart;
    private final String signaturePart;

    private Hs256Jwt(String headerPart, String claimsPart, String signaturePart) {
        this.headerPart = headerPart;
        this.claimsPart = claimsPart;
        this.signaturePart = signaturePart;
    }

    /**
     * Three base64url segments separated by dots; header and claims non-empty, the signature may be empty (an
     * unsigned token, refused when a secret is set). A plain scan: a regular expression here cost a third of the
     * ingest's CPU.
     */
    static boolean looksLikeJwt(String text) {
        int dots = 0;
        int segmentLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (segmentLength == 0 || ++dots > 2) {
                    return false;
                }
                segmentLength = 0;
            } else if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                segmentLength++;
            } else {
                return false;
            }
        }
        return dots == 2;
    }

    static Hs256Jwt split(String compact) {
        int first = compact.indexOf('.');
        int second = compact.indexOf('.', first + 1);
        return new Hs256Jwt(compact.substring(0, first), compact.substring(first + 1, second),
                compact.substring(second + 1));
    }

    /** The decoded header, which must be a JSON object. */
    JsonNode header(StrictJson json) {
        JsonNode header = json.parseObject(decode(headerPart, "header"), "JWT header");
        return header;
    }

    /** The decoded claims bytes (the event), not yet parsed. */
    byte[] claimsBytes() {
        return decode(claimsPart, "claims");
    }

    /**
     * Checks the header and signature against the current secret, else the previous one (during a rotation; may be
     * null); throws a 401 rejection when neither holds. The header must already have been decoded (a header that is
     * not JSON is a 400, not a 401).
     *
     * @return true when the signature was made with the previous secret
     */
    boolean verify(JsonNode header, byte[] current, byte[] previous) {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw WebhookRejectedException.unauthorized("invalid_signature", "JWT header has no alg");
        }
        if (!"HS256".equals(alg.textValue())) {
            throw WebhookRejectedException.unauthorized("invalid_signature",
                    "JWT alg must be HS256, not " + printable(alg.textValue()));
        }
        if (header.has("crit")) {
            throw WebhookRejectedException.unauthorized("invalid_signature", "JWT crit header is not supported");
        }
        if (signaturePart.isEmpty()) {
            throw WebhookRejectedException.unauthorized("invalid_signature", "JWT is not signed");
        }
        byte[] signingInput = (headerPart + '.' + claimsPart).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = signaturePart.getBytes(StandardCharsets.US_ASCII);
        if (MessageDigest.isEqual(B64URL_NOPAD.encode(hmacSha256(current, signingInput)), signature)) {
            return false;
        }
        if (previous != null
                && MessageDigest.isEqual(B64URL_NOPAD.encode(hmacSha256(previous, signingInput)), signature)) {
            return true;
        }
        throw WebhookRejectedException.unauthorized("invalid_signature", "JWT signature does not match");
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return B64URL.decode(part);
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.badRequest("invalid_jwt", "JWT " + what + " is not base64url");
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 20 ? s.substring(0, 20) + "..." : s;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }

    /**
     * Signs an event as Dialpad does: {@code {"alg":"HS256","typ":"JWT"}} and the event as the claims, base64url
     * without padding, HMAC-SHA256 over {@code header.claims} with the webhook secret (the test-event sender uses it).
     */
    public static String sign(String eventJson, byte[] secret) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "." + b64.encodeToString(eventJson.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
