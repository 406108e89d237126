package io.github.dialpadwebhooks.tracing;

import java.util.Map;

import io.github.dialpadwebhooks.Settings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenTelemetry, off unless configured (docs/tracing.md). {@link #configured} turns Camel's tracer
 * (camel-opentelemetry2, {@code camel.opentelemetry2.enabled}) on when the standard {@code OTEL_*} variables ask for
 * traces; then the SDK is built from those same variables (exporter, endpoint, service name, sampler: the SDK's
 * autoconfigure module) and given to Camel's tracer through the registry, with {@link EventTracing} for the two
 * steps that join ingest and processing. A test binds its own {@link OpenTelemetry} (an in-memory exporter) instead.
 */
public final class TracingBeans extends MainListenerSupport {

    static final String ENABLED = "camel.opentelemetry2.enabled";
    private static final Logger LOG = LoggerFactory.getLogger(TracingBeans.class);

    /** Camel's tracer looks for an OpenTelemetry tracer as camel-main configures it: bind ours before that. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        try {
            bind(context, new Settings(context.getPropertiesComponent()));
        } catch (Exception e) {
            throw new IllegalStateException("Tracing could not be set up: " + e.getMessage(), e);
        }
    }

    /**
     * Whether these variables ask for traces: an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or its _TRACES_ form) or a
     * traces exporter other than none, and the SDK not disabled.
     */
    public static boolean configured(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
            return false;
        }
        String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
        if (!exporter.isEmpty()) {
            return !exporter.equalsIgnoreCase("none");
        }
        return !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    }

    public static void bind(CamelContext context, Settings settings) throws Exception {
        if (!settings.flag(ENABLED, false)) {
            context.getRegistry().bind("eventTracing", EventTracing.OFF);
            return;
        }
        OpenTelemetry otel = CamelContextHelper.findSingleByType(context, OpenTelemetry.class);
        if (otel == null) {
            // metrics and logs stay with Prometheus and log4j unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER say
            // otherwise; traces go where the OTEL_* variables say (OTLP by default)
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none",
                            "otel.service.name", "dialpad-camel-postgres"))
                    .build().getOpenTelemetrySdk();
            otel = sdk;
            // flushes the spans still buffered when Camel stops
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    sdk.close();
                }
            }, true, true);
            LOG.info("Tracing on: spans exported as the OTEL_* variables configure (docs/tracing.md)");
        }
        // camel-opentelemetry2 looks these up in the registry before falling back to GlobalOpenTelemetry
        context.getRegistry().bind("openTelemetryTracer", io.opentelemetry.api.trace.Tracer.class,
                otel.getTracer("camel"));
        context.getRegistry().bind("openTelemetryPropagators", ContextPropagators.class, otel.getPropagators());
        context.getRegistry().bind("eventTracing", new EventTracing(otel.getTracer("dialpad-camel-postgres")));
    }
}
