package io.github.dialpadwebhooks.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The SQL statements the Java code runs, read from the same home as the routes' statements:
 * {@code src/main/resources/sql/<concern>/<name>.sql}, one statement per file, {@code --} comments beside the clauses
 * they explain. (Routes read theirs with {@code sql:classpath:sql/...}.)
 */
public final class SqlStatements {

    private SqlStatements() {
    }

    /** The statement in {@code sql/<path>} on the classpath, without its comment lines. */
    public static String load(String path) {
        String resource = "sql/" + path;
        try (InputStream in = SqlStatements.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL file on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.trim().startsWith("--") && !line.isBlank())
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
