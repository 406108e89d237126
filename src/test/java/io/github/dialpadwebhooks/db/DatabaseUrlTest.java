package io.github.dialpadwebhooks.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void should_keep_a_jdbc_url_as_it_is() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/app?user=u&password=p");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?user=u&password=p");
        assertThat(url.redacted()).doesNotContain("password=p").contains("password=***");
    }

    @Test
    void should_turn_a_postgres_url_into_jdbc_with_separate_credentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alice:s%40cr%3At@db.example.com:6543/calls?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/calls?sslmode=require");
        assertThat(url.user()).isEqualTo("alice");
        assertThat(url.password()).isEqualTo("s@cr:t");
        assertThat(url.redacted()).doesNotContain("s@cr:t");
    }

    @Test
    void should_accept_the_postgresql_scheme_and_no_credentials_or_port() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db/app");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(url.user()).isNull();
        assertThat(url.password()).isNull();
    }

    @Test
    void should_refuse_other_schemes() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db/app")).isInstanceOf(IllegalArgumentException.class);
    }
}
