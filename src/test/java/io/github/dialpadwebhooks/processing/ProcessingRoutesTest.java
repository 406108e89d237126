package io.github.dialpadwebhooks.processing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.dialpadwebhooks.Application;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processing routes in the JVM, Camel's way: the application's routes and configuration started by
 * camel-test-main-junit5 (the test's own database and free ports), and a {@link NotifyBuilder} waiting for the
 * consumer's batches instead of polling the table.
 */
class ProcessingRoutesTest extends CamelMainTestSupport {

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("database.url", TestDatabase.get().jdbcUrl());
        properties.setProperty("camel.server.port", Integer.toString(freePort()));
        properties.setProperty("camel.management.port", Integer.toString(freePort()));
        properties.setProperty("dialpad.webhook-secret", "");
        properties.setProperty("processor.poll-delay-ms", "20");
        return properties;
    }

    @Test
    void should_route_each_type_to_its_projection_and_mark_every_outcome_in_one_batch() {
        TestDatabase.get().truncateAll();
        long callId = 7_670_000_000_000_001L;
        NotifyBuilder batch = new NotifyBuilder(context).fromRoute("process-webhook-events").whenCompleted(1).create();

        Events.insert(List.of(
                Fixtures.call(callId).state("ringing").at(1_000L).event("default", "call.ring", "ring"),
                Fixtures.call(callId).state("hangup").at(3_000L).event("default", "call.ended", "hangup"),
                Fixtures.sms(8_670_000_000_000_001L).event("default", "sms.received", "sms"),
                new Events.Event("default", "crm.note", "note", "{\"text\": \"no route for this type\"}")));

        // the projections are written while the batch's exchange runs
        assertThat(batch.matches(20, TimeUnit.SECONDS)).as("one batch routed").isTrue();
        assertThat(Sql.value("SELECT status FROM calls WHERE dialpad_call_id = ?", callId)).isEqualTo("ended");
        assertThat(Sql.count("SELECT count(*) FROM messages")).isEqualTo(1);
        // the outcomes by onConsume, just after the exchange
        Events.awaitAllProcessed();
        assertThat(Sql.rows("SELECT dialpad_event_id, outcome FROM webhook_events ORDER BY dialpad_event_id"))
                .extracting(r -> r.get("dialpad_event_id") + "=" + r.get("outcome"))
                .containsExactly("hangup=processed", "note=skipped", "ring=processed", "sms=processed");
    }

    @Test
    void should_have_camel_sql_find_at_once_that_the_batch_and_its_groups_are_not_maps() {
        // camel-sql tries the body as a Map for each parameter of each statement; a remembered miss is one map probe,
        // one not remembered a search of every type converter (SqlParameterBodies)
        var registry = context.getTypeConverterRegistry();
        assertThat(registry.lookup(Map.class, ArrayList.class)).as("the claimed rows (onConsume)").isNotNull();
        assertThat(registry.lookup(Map.class, EventGroup.class)).as("a group (the projections)").isNotNull();
        assertThat(context.getTypeConverter().tryConvertTo(Map.class, new ArrayList<>())).isNull();
        assertThat(context.getTypeConverter().tryConvertTo(Map.class, new HashMap<>(Map.of("a", 1))))
                .isEqualTo(Map.of("a", 1));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
