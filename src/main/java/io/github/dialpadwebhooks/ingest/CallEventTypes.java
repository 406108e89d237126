package io.github.dialpadwebhooks.ingest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which Dialpad call state becomes which event type, as application.properties says
 * ({@code dialpad.call-event-types.<event type> = <state>,<state>,...}; the defaults are the contract's, docs/ingest.md). A
 * state no line names becomes {@code call.<state>}.
 */
public final class CallEventTypes {

    public static final String PREFIX = "dialpad.call-event-types.";

    /** Dialpad's call states (the state enum of its call event subscriptions). */
    public static final Set<String> DIALPAD_STATES = Set.of("admin", "admin_recording", "ai_playbook", "barge",
            "blocked", "call_transcription", "calling", "connected", "csat", "dispositions", "hangup", "hold",
            "merged", "missed", "monitor", "parked", "pcsat", "postcall", "preanswer", "queued", "recap_action_items",
            "recap_outcome", "recap_purposes", "recap_summary", "recording", "ringing", "takeover", "transcription",
            "voicemail", "voicemail_uploaded");

    private final Map<String, String> typeByState;

    /** @param typeByState state -> event type */
    public CallEventTypes(Map<String, String> typeByState) {
        this.typeByState = Map.copyOf(typeByState);
    }

    /**
     * @param properties resolves a key
     * @param keys       the configured property keys (those starting with {@link #PREFIX} are read)
     */
    public static CallEventTypes from(Function<String, Optional<String>> properties, Collection<String> keys) {
        Map<String, String> typeByState = new LinkedHashMap<>();
        for (String key : keys) {
            if (key.startsWith(PREFIX)) {
                String type = key.substring(PREFIX.length());
                for (String state : properties.apply(key).orElse("").split(",")) {
                    if (!state.isBlank()) {
                        typeByState.put(state.trim(), type);
                    }
                }
            }
        }
        return new CallEventTypes(typeByState);
    }

    /** The event type of a call event in this state. */
    public String typeOf(String state) {
        return typeByState.getOrDefault(state, "call." + state);
    }

    /** The event types Dialpad's documented call states become. */
    public Set<String> types() {
        Set<String> types = new TreeSet<>();
        DIALPAD_STATES.forEach(state -> types.add(typeOf(state)));
        types.addAll(typeByState.values());
        return types;
    }
}
