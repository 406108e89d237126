package io.github.dialpadwebhooks.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "how many parameters does this statement take?" from memory after the first time a SQL text is asked.
 *
 * <p>camel-sql asks {@link PreparedStatement#getParameterMetaData()} before every execution of a consumer's query, a
 * producer's statement (unless the endpoint sets {@code parametersCount}) and every {@code onConsume}. pgjdbc answers
 * with a describe round trip that also discards the statement's server-side prepared statement, so every execution
 * was parsed twice and planned afresh, and PostgreSQL never reused a plan (docs/design.md#query-plans). The count
 * depends on the SQL text alone, so the driver is asked once per text; other metadata still comes from the driver.
 */
final class ParameterCounts {

    /**
     * Texts remembered at most (the routes have ~60 statements), so memory stays bounded even if some SQL text were
     * built per request; beyond this the driver is asked each time.
     */
    private static final int MAX_TEXTS = 1_000;

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** {@code connection}, whose prepared statements answer the parameter count from memory. */
    Connection wrap(Connection connection) {
        return proxy(Connection.class, (method, args) -> {
            Object result = invoke(connection, method, args);
            if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")
                    && args[0] instanceof String sql) {
                return statement(statement, sql);
            }
            return result;
        });
    }

    private PreparedStatement statement(PreparedStatement statement, String sql) {
        return proxy(PreparedStatement.class, (method, args) ->
                method.getName().equals("getParameterMetaData") && method.getParameterCount() == 0
                        ? parameterMetaData(statement, sql)
                        : invoke(statement, method, args));
    }

    private ParameterMetaData parameterMetaData(PreparedStatement statement, String sql) throws SQLException {
        Integer known = counts.get(sql);
        if (known == null) {
            ParameterMetaData fromDriver = statement.getParameterMetaData();
            if (counts.size() < MAX_TEXTS) {
                counts.put(sql, fromDriver.getParameterCount());
            }
            return fromDriver;
        }
        // the count from memory; anything else (types, nullability) from the driver, as before
        return proxy(ParameterMetaData.class, (method, args) -> method.getName().equals("getParameterCount")
                ? known
                : invoke(statement.getParameterMetaData(), method, args));
    }

    private interface Handler {
        Object handle(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        return type.cast(Proxy.newProxyInstance(ParameterCounts.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> handler.handle(method, args)));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
