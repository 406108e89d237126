package io.github.dialpadwebhooks.tracing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing on (camel-opentelemetry2 with an in-memory exporter): one posted webhook gives one trace from the HTTP
 * request to its projection, the processing span a child of the span that stored the row and linked to the batch's
 * span, every span naming the event by its ids and none holding the payload or a phone number.
 */
class TracingTest {

    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("camel.opentelemetry2.enabled", "true")
            .and("processor.poll-delay-ms", "20")
            .withBean("openTelemetry", OTEL);

    @BeforeEach
    void empty() {
        TestDatabase.get().truncateAll();
        SPANS.reset();
    }

    @Test
    void should_trace_one_webhook_from_request_to_projection() {
        ObjectNode call = Samples.tree("call-hangup.json");
        assertThat(app.post("/webhooks/dialpad", Samples.json(call)).statusCode()).isEqualTo(202);
        Events.awaitAllProcessed();
        Map<String, Object> row = Sql.rows("SELECT id, dialpad_event_id, traceparent FROM webhook_events").get(0);
        String traceparent = (String) row.get("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        String traceId = traceparent.substring(3, 35);
        String storedSpanId = traceparent.substring(36, 52);

        SpanData processing = await().atMost(Duration.ofSeconds(10)).until(
                () -> SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals("process dialpad event"))
                        .findFirst().orElse(null), s -> s != null);
        // the processing span is in the webhook's trace, a child of the span that stored the row
        assertThat(processing.getTraceId()).isEqualTo(traceId);
        assertThat(processing.getParentSpanId()).isEqualTo(storedSpanId);
        assertThat(processing.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(processing.getAttributes().get(EventTracing.EVENT_ID)).isEqualTo(row.get("id").toString());
        assertThat(processing.getAttributes().get(EventTracing.DIALPAD_EVENT_ID)).isEqualTo(row.get("dialpad_event_id"));
        assertThat(processing.getAttributes().get(EventTracing.EVENT_TYPE)).isEqualTo("call.ended");
        assertThat(processing.getAttributes().get(EventTracing.OUTCOME)).isEqualTo("processed");
        assertThat(processing.getEvents()).extracting(e -> e.getName()).containsExactly("stored", "claimed", "projected");

        List<SpanData> spans = SPANS.getFinishedSpanItems();
        // the trace holds the HTTP request (its root) and the span that stored the row, which names the event
        List<SpanData> trace = spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertThat(trace).filteredOn(s -> !s.getParentSpanContext().isValid()).singleElement().satisfies(s ->
                assertThat(s.getAttributes().asMap()).containsEntry(
                        AttributeKey.stringKey("component"), "camel-platform-http"));
        assertThat(trace).filteredOn(s -> s.getSpanId().equals(storedSpanId)).singleElement().satisfies(s ->
                assertThat(s.getAttributes().get(EventTracing.DIALPAD_EVENT_ID)).isEqualTo(row.get("dialpad_event_id")));
        // linked to the batch: the span of the processing route's exchange (the claim), in a trace of its own
        assertThat(processing.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isNotEqualTo(traceId);
            SpanData batch = await().atMost(Duration.ofSeconds(10)).until(() -> SPANS.getFinishedSpanItems().stream()
                    .filter(s -> s.getSpanId().equals(link.getSpanContext().getSpanId())).findFirst().orElse(null),
                    s -> s != null);
            assertThat(batch.getAttributes().get(AttributeKey.stringKey("component")))
                    .isEqualTo("camel-sql");
        });
        spans = SPANS.getFinishedSpanItems();

        // no attribute of any span holds a phone number, a URL or any other text of the payload
        List<String> secrets = new ArrayList<>();
        collectTexts(call, secrets);
        assertThat(secrets).contains("+15102609745");
        // the state is part of the event's id, which spans do carry
        secrets.removeIf(((String) row.get("dialpad_event_id"))::contains);
        for (SpanData span : spans) {
            span.getAttributes().forEach((key, value) -> {
                for (String text : secrets) {
                    assertThat(String.valueOf(value)).as(span.getName() + " " + key).doesNotContain(text);
                }
            });
        }
    }

    @Test
    void should_be_off_unless_configured() throws Exception {
        RunningApp plain = RunningApp.create();
        plain.start();
        try {
            assertThat(plain.camelContext().hasService(org.apache.camel.spi.CamelTracingService.class)).isNull();
            assertThat(plain.camelContext().getRegistry().lookupByName("eventTracing"))
                    .isSameAs(EventTracing.OFF);
            assertThat(plain.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                    .isEqualTo(202);
            assertThat(Sql.value("SELECT traceparent FROM webhook_events")).isNull();
        } finally {
            plain.stop();
        }
    }

    @Test
    void should_read_the_standard_variables() {
        assertThat(TracingBeans.configured(Map.of())).isFalse();
        assertThat(TracingBeans.configured(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isTrue();
        assertThat(TracingBeans.configured(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
        assertThat(TracingBeans.configured(Map.of("OTEL_TRACES_EXPORTER", "none",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isFalse();
        assertThat(TracingBeans.configured(Map.of("OTEL_SDK_DISABLED", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isFalse();
    }

    /** Every text value of the event longer than a few characters (names, numbers, links), ids aside. */
    private static void collectTexts(JsonNode node, List<String> into) {
        if (node.isTextual() && node.textValue().length() > 4) {
            into.add(node.textValue());
        }
        node.forEach(child -> collectTexts(child, into));
    }
}
