package io.github.dialpadwebhooks.db;

import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.DefaultSqlEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Statements bound through {@link ParsedSqlTexts} get the same values, in the same order, as through camel-sql's own
 * strategy (each test runs on both), although each SQL text is parsed only once.
 */
class ParsedSqlTextsTest {

    private static HikariDataSource pool;

    @BeforeAll
    static void pool() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabase.get().jdbcUrl());
        pool.setMaximumPoolSize(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @ParameterizedTest(name = "parsed once: {0}")
    @ValueSource(booleans = {true, false})
    void should_bind_body_keys_headers_and_expressions_in_order_at_every_execution(boolean parsedOnce)
            throws Exception {
        try (CamelContext camel = camel(parsedOnce)) {
            ProducerTemplate template = camel.createProducerTemplate();
            for (int i = 0; i < 3; i++) {
                int n = i;
                Exchange done = template.send("direct:named", e -> {
                    e.getMessage().setBody(Map.of("a", "a" + n));
                    e.getMessage().setHeader("b", "b" + n);
                    e.setProperty("c", List.of("c" + n, "d" + n));
                    e.getMessage().setHeader("index", 1);
                });
                assertThat(done.getException()).isNull();
                assertThat(done.getMessage().getBody(String.class)).isEqualTo("a%d/b%d/c%d/d%d".formatted(n, n, n, n));
            }
        }
    }

    @ParameterizedTest(name = "parsed once: {0}")
    @ValueSource(booleans = {true, false})
    void should_give_an_in_parameter_as_many_placeholders_as_this_exchange_has_values(boolean parsedOnce)
            throws Exception {
        try (CamelContext camel = camel(parsedOnce)) {
            ProducerTemplate template = camel.createProducerTemplate();
            assertThat(template.requestBodyAndHeader("direct:in", null, "ids", List.of(2, 3, 5), Long.class))
                    .isEqualTo(3L);
            assertThat(template.requestBodyAndHeader("direct:in", null, "ids", List.of(7), Long.class)).isEqualTo(1L);
        }
    }

    @ParameterizedTest(name = "parsed once: {0}")
    @ValueSource(booleans = {true, false})
    void should_name_a_parameter_the_exchange_does_not_have(boolean parsedOnce) throws Exception {
        try (CamelContext camel = camel(parsedOnce)) {
            ProducerTemplate template = camel.createProducerTemplate();
            assertThatThrownBy(() -> template.requestBody("direct:named", Map.of("x", "1")))
                    .isInstanceOf(CamelExecutionException.class)
                    .hasStackTraceContaining("Cannot find key [a] in message body or headers");
        }
    }

    private static CamelContext camel(boolean parsedOnce) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("dataSource", pool);
        if (parsedOnce) {
            ParsedSqlTexts.install(camel);
        }
        // a lambda, not a RouteBuilder class of this package, which camel-main's route scan of other tests would find
        RouteBuilder.addRoutes(camel, routes -> {
            // a comment with a colon is not a parameter
            routes.from("direct:named").to("sql:SELECT CAST(:#a AS text) || '/' || CAST(:#${header.b} AS text) || '/' "
                    + "|| CAST(:#${exchangeProperty.c[0]} AS text) || '/' "
                    + "|| CAST(:#${exchangeProperty.c[${header.index}]} AS text) -- note: a comment\n"
                    + "AS v?outputType=SelectOne");
            routes.from("direct:in").to("sql:SELECT count(*) FROM generate_series(1, 10) g WHERE g IN (:#in:ids)"
                    + "?outputType=SelectOne");
        });
        camel.start();
        boolean installed = camel.getEndpoints().stream()
                .filter(DefaultSqlEndpoint.class::isInstance)
                .allMatch(e -> ((DefaultSqlEndpoint) e).getPrepareStatementStrategy() instanceof ParsedSqlTexts);
        assertThat(installed).isEqualTo(parsedOnce);
        return camel;
    }
}
