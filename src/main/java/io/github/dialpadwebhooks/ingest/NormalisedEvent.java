package io.github.dialpadwebhooks.ingest;

/**
 * One webhook as it is stored: its type, the id that makes redelivery idempotent, and the event itself as JSON text.
 */
public record NormalisedEvent(String eventType, String dialpadEventId, String payloadJson) {
}
