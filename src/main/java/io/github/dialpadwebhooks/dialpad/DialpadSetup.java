package io.github.dialpadwebhooks.dialpad;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code dialpad setup} and {@code dialpad status} (docs/connecting-dialpad.md): the webhook this service receives
 * on, signed with its secret, and the event subscriptions whose events it projects, made to match what Dialpad has
 * registered. Idempotent: what already matches is left alone, so a second run changes nothing and says so.
 * The secret is never printed: only whether Dialpad's copy matches.
 */
public final class DialpadSetup {

    /** What this service expects Dialpad to send (application.properties: dialpad.setup.*). */
    public record Expected(String hookUrl, String secret, List<String> callStates, boolean smsIncludeInternal,
            List<String> contactTypes, boolean agentStatus, boolean changeLog) {

        /** Each subscription: its kind (the path under /api/v2/subscriptions/) and the fields it must have. */
        List<Subscription> subscriptions() {
            List<Subscription> all = new ArrayList<>();
            ObjectNode call = DialpadApi.object();
            call.putArray("call_states").addAll(new TreeSet<>(callStates).stream()
                    .map(s -> DialpadApi.object().textNode(s)).toList());
            call.put("enabled", true);
            all.add(new Subscription("call", null, call));
            ObjectNode sms = DialpadApi.object().put("direction", "all").put("status", true)
                    .put("include_internal", smsIncludeInternal).put("enabled", true);
            all.add(new Subscription("sms", null, sms));
            for (String type : contactTypes) {
                all.add(new Subscription("contact", "contact_type",
                        DialpadApi.object().put("contact_type", type).put("enabled", true)));
            }
            if (agentStatus) {
                all.add(new Subscription("agent_status", null,
                        DialpadApi.object().put("agent_type", "callcenter").put("enabled", true)));
            }
            if (changeLog) {
                all.add(new Subscription("changelog", null, DialpadApi.object().put("enabled", true)));
            }
            return all;
        }
    }

    /** One subscription: {@code key} the field that tells two of one kind apart (null: one per webhook). */
    record Subscription(String kind, String key, ObjectNode fields) {
        String label() {
            return kind + (key == null ? "" : " (" + key + " " + fields.path(key).asText() + ")");
        }
    }

    private final DialpadApi api;
    private final Expected expected;
    private final PrintStream out;

    public DialpadSetup(DialpadApi api, Expected expected, PrintStream out) {
        this.api = api;
        this.expected = expected;
        this.out = out;
    }

    /**
     * Creates or updates the webhook and the subscriptions; with {@code dryRun} only prints the plan. Returns the
     * number of changes made (or planned).
     */
    public int setup(boolean dryRun) throws IOException, InterruptedException {
        String verb = dryRun ? "would " : "";
        int changes = 0;
        JsonNode webhook = findWebhook();
        String webhookId;
        if (webhook == null) {
            changes++;
            out.println(verb + "create the webhook " + expected.hookUrl() + " (events signed HS256 with the secret)");
            if (dryRun) {
                for (Subscription s : expected.subscriptions()) {
                    out.println(verb + "create the " + s.label() + " subscription: " + s.fields());
                    changes++;
                }
                out.println("dry run: nothing changed (" + changes + " changes planned)");
                return changes;
            }
            ObjectNode body = DialpadApi.object().put("hook_url", expected.hookUrl()).put("secret", expected.secret());
            webhookId = api.post("/api/v2/webhooks", body).path("id").asText();
            out.println("created the webhook " + webhookId);
        } else {
            webhookId = webhook.path("id").asText();
            if (!expected.secret().equals(webhook.path("signature").path("secret").asText(null))) {
                changes++;
                out.println(verb + "update the secret of webhook " + webhookId + " (Dialpad's copy differs)");
                if (!dryRun) {
                    api.patch("/api/v2/webhooks/" + webhookId, DialpadApi.object().put("secret", expected.secret()));
                }
            } else {
                out.println("webhook " + webhookId + " " + expected.hookUrl() + ": up to date");
            }
        }
        for (Subscription wanted : expected.subscriptions()) {
            JsonNode existing = findSubscription(wanted, webhookId);
            ObjectNode body = wanted.fields().deepCopy();
            body.put("endpoint_id", Long.parseLong(webhookId));
            if (existing == null) {
                changes++;
                out.println(verb + "create the " + wanted.label() + " subscription: " + wanted.fields());
                if (!dryRun) {
                    api.post("/api/v2/subscriptions/" + wanted.kind(), body);
                }
            } else {
                List<String> differences = differences(wanted.fields(), existing);
                String id = existing.path("id").asText();
                if (differences.isEmpty()) {
                    out.println(wanted.label() + " subscription " + id + ": up to date");
                } else {
                    changes++;
                    out.println(verb + "update the " + wanted.label() + " subscription " + id + ": "
                            + String.join(", ", differences));
                    if (!dryRun) {
                        api.patch("/api/v2/subscriptions/" + wanted.kind() + "/" + id, body);
                    }
                }
            }
        }
        if (changes == 0) {
            out.println("nothing to change: Dialpad already sends what this service projects to " + expected.hookUrl());
        } else {
            out.println(dryRun ? "dry run: nothing changed (" + changes + " changes planned)"
                    : changes + " changes made");
        }
        return changes;
    }

    /** Prints what Dialpad has registered against what this service expects; returns the number of mismatches. */
    public int status() throws IOException, InterruptedException {
        JsonNode webhook = findWebhook();
        if (webhook == null) {
            out.println("webhook " + expected.hookUrl() + ": MISSING (run: dialpad setup --hook-url "
                    + expected.hookUrl() + ")");
            return 1 + expected.subscriptions().size();
        }
        int mismatches = 0;
        String webhookId = webhook.path("id").asText();
        boolean secretMatches = expected.secret().equals(webhook.path("signature").path("secret").asText(null));
        out.println("webhook " + webhookId + " " + expected.hookUrl() + ": "
                + (secretMatches ? "ok (secret matches)" : "SECRET DIFFERS"));
        if (!secretMatches) {
            mismatches++;
        }
        for (Subscription wanted : expected.subscriptions()) {
            JsonNode existing = findSubscription(wanted, webhookId);
            if (existing == null) {
                mismatches++;
                out.println(wanted.label() + " subscription: MISSING");
                continue;
            }
            List<String> differences = differences(wanted.fields(), existing);
            if (!differences.isEmpty()) {
                mismatches++;
            }
            out.println(wanted.label() + " subscription " + existing.path("id").asText() + ": "
                    + (differences.isEmpty() ? "ok" : "DIFFERS: " + String.join(", ", differences)));
        }
        out.println(mismatches == 0 ? "Dialpad matches this service" : mismatches + " differences (fix: dialpad setup)");
        return mismatches;
    }

    private JsonNode findWebhook() throws IOException, InterruptedException {
        for (JsonNode webhook : api.all("/api/v2/webhooks", Map.of())) {
            if (sameUrl(expected.hookUrl(), webhook.path("hook_url").asText(""))) {
                return webhook;
            }
        }
        return null;
    }

    /** The subscription of this kind (and key) sending to our webhook, not scoped to one target. */
    private JsonNode findSubscription(Subscription wanted, String webhookId) throws IOException, InterruptedException {
        for (JsonNode s : api.all("/api/v2/subscriptions/" + wanted.kind(), Map.of())) {
            boolean ours = webhookId.equals(s.path("webhook").path("id").asText(null))
                    || webhookId.equals(s.path("endpoint_id").asText(null));
            boolean untargeted = s.path("target_id").isMissingNode() || s.path("target_id").isNull();
            boolean sameKey = wanted.key() == null
                    || wanted.fields().path(wanted.key()).asText().equals(s.path(wanted.key()).asText());
            if (ours && untargeted && sameKey) {
                return s;
            }
        }
        return null;
    }

    /** The fields whose values differ ("field: has -> wants"); call_states compared as sets. */
    static List<String> differences(ObjectNode wanted, JsonNode existing) {
        List<String> differences = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode has = existing.get(field.getKey());
            JsonNode wants = field.getValue();
            boolean same = wants.isArray() ? Objects.equals(set(wants), set(has))
                    : has != null && wants.asText().equals(has.asText());
            if (!same) {
                differences.add(field.getKey() + ": " + (has == null ? "none" : has.toString()) + " -> " + wants);
            }
        }
        return differences;
    }

    private static Set<String> set(JsonNode array) {
        Set<String> s = new TreeSet<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> s.add(v.asText()));
        }
        return s;
    }

    private static boolean sameUrl(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
