package io.github.dialpadwebhooks.ingest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON as the ingest accepts it: strict UTF-8, one object, no duplicate keys, bounded nesting, and nothing PostgreSQL's
 * {@code jsonb} would refuse later (NUL characters, unpaired surrogates). Integers are kept exact (a call id above
 * 2^53 survives), decimals as {@link BigDecimal}. Anything else is a 400 rejection, never a server error.
 */
public final class StrictJson {

    /** Dialpad events are a few levels deep; this bounds recursion far below any stack limit. */
    public static final int MAX_NESTING_DEPTH = 200;

    /** PostgreSQL's numeric keeps at most 16383 digits after the point; larger exponents fail in the database. */
    private static final int MAX_DECIMAL_SCALE = 16000;

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    public StrictJson() {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(1000)
                .build());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Decodes strict UTF-8 (no replacement characters), else a 400. */
    public static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw WebhookRejectedException.badRequest("invalid_encoding", what + " is not valid UTF-8");
        }
    }

    /** Parses text that must be one JSON object. */
    public JsonNode parseObject(String text, String what) {
        JsonNode node;
        try (JsonParser parser = mapper.createParser(text)) {
            node = mapper.readTree(parser);
        } catch (IOException | RuntimeException e) {
            throw WebhookRejectedException.badRequest("invalid_json", what + " is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw WebhookRejectedException.badRequest("invalid_json", what + " is not a JSON object");
        }
        checkStorable(node, what);
        return node;
    }

    public JsonNode parseObject(byte[] bytes, String what) {
        return parseObject(utf8(bytes, what), what);
    }

    /** Walks the tree without recursion and refuses strings jsonb cannot hold. */
    private static void checkStorable(JsonNode root, String what) {
        List<JsonNode> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            JsonNode node = stack.remove(stack.size() - 1);
            if (node.isTextual()) {
                checkString(node.textValue(), what);
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    checkString(field.getKey(), what);
                    stack.add(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(stack::add);
            } else if (node.isBigDecimal() && Math.abs(node.decimalValue().scale()) > MAX_DECIMAL_SCALE) {
                throw WebhookRejectedException.badRequest("invalid_json", what + " has a number out of range");
            }
        }
    }

    private static void checkString(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw WebhookRejectedException.badRequest("invalid_json", what + " contains a NUL character");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw WebhookRejectedException.badRequest("invalid_json", what + " contains an unpaired surrogate");
            }
            if (Character.isLowSurrogate(c)) {
                throw WebhookRejectedException.badRequest("invalid_json", what + " contains an unpaired surrogate");
            }
        }
    }

    /**
     * The canonical text of a JSON value: object keys sorted (by UTF-16 code units), no insignificant whitespace,
     * strings with only the escapes JSON requires, numbers as their exact decimal value without trailing zeros or
     * exponent (so {@code 1.50}, {@code 1.5} and {@code 15e-1} are one number).
     */
    public static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        writeCanonical(node, out);
        return out.toString();
    }

    private static void writeCanonical(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>();
                node.fieldNames().forEachRemaining(keys::add);
                keys.sort(null);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(keys.get(i), out);
                    out.append(':');
                    writeCanonical(node.get(keys.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeCanonical(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(canonicalNumber(node.decimalValue()));
            case BOOLEAN -> out.append(node.booleanValue());
            default -> out.append("null");
        }
    }

    static String canonicalNumber(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        // a plain rendering of 1e1000 would be a thousand digits; beyond that keep the exact scientific form
        if (Math.abs(stripped.scale()) > 100) {
            return stripped.toString();
        }
        return stripped.toPlainString();
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
