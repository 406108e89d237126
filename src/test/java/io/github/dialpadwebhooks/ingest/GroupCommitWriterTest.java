package io.github.dialpadwebhooks.ingest;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Group commit keeps the single-row INSERT's semantics for rows that share a statement. */
class GroupCommitWriterTest {

    private HikariDataSource dataSource;
    private GroupCommitWriter writer;
    private final DefaultCamelContext context = new DefaultCamelContext();

    @BeforeEach
    void setUp() {
        TestDatabase.get().truncateAll();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(TestDatabase.get().jdbcUrl());
        writer = new GroupCommitWriter(dataSource, 64, 1, 5000);
        writer.start();
    }

    @AfterEach
    void tearDown() {
        writer.stop();
        dataSource.close();
    }

    @Test
    void should_answer_one_new_and_the_rest_duplicate_for_the_same_event_in_one_group() throws Exception {
        List<Object> results = storeConcurrently(20, i -> row("same", "{\"n\":1}"));

        assertThat(results).filteredOn(r -> r instanceof UUID).hasSize(1);
        assertThat(results).filteredOn(r -> r == null).hasSize(19);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(1);
    }

    @Test
    void should_fail_only_the_row_postgres_refuses_and_store_the_others_of_its_group() throws Exception {
        // the 30 rows are queued before the writer runs, so they are written as one group, which PostgreSQL refuses
        // as a whole for the bad row: the one-row-at-a-time fallback must run, once
        writer.stop();
        writer = new GroupCommitWriter(dataSource, 64, 1, 5000);
        writer.acceptWithoutWriting();
        writerHeld = true;
        List<Object> results = storeConcurrently(30, i -> i == 7 ? row("bad", "{not json") : row("ok-" + i, "{}"));

        assertThat(writer.rowByRowRetries()).as("the group was retried row by row").isEqualTo(1);
        assertThat(results).filteredOn(r -> r instanceof SQLException).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof UUID).hasSize(29);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(29);
    }

    private boolean writerHeld;

    private List<Object> storeConcurrently(int n, java.util.function.IntFunction<Map<String, String>> rows)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> row = rows.apply(i);
            futures.add(pool.submit(() -> {
                Exchange exchange = new DefaultExchange(context);
                exchange.getMessage().setBody(row);
                start.await();
                try {
                    writer.store(exchange);
                    return exchange.getMessage().getHeader("storedEventId");
                } catch (SQLException e) {
                    return e;
                }
            }));
        }
        start.countDown();
        if (writerHeld) {
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> writer.queued() == n);
            writer.startWriters();
        }
        List<Object> results = new ArrayList<>();
        for (Future<Object> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();
        return results;
    }

    private static Map<String, String> row(String dialpadEventId, String payload) {
        return Map.of("appId", "default", "eventType", "dialpad.unknown", "dialpadEventId", dialpadEventId,
                "payload", payload);
    }
}
