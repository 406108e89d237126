package io.github.dialpadwebhooks.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The {@code dataSource} the routes' camel-sql endpoints use: the service's pool, except on a thread that runs
 * {@link #using}: there, connections come from the given pool instead. A projection rebuild sends events through
 * the current projection routes with a pool whose {@code search_path} puts the rebuild schema first, so the same
 * SQL files write the copy of the table instead of the served one (docs/rebuild.md). Direct endpoints run on the
 * calling thread, so every statement of the routes it calls sees the switch. Either way its statements remember
 * their parameter count ({@link ParameterCounts}), so that camel-sql's question costs no round trip.
 */
public final class SwitchableDataSource extends DelegatingDataSource {

    private static final ThreadLocal<DataSource> SWITCHED = new ThreadLocal<>();

    private final ParameterCounts parameterCounts = new ParameterCounts();

    public SwitchableDataSource(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        DataSource switched = SWITCHED.get();
        return parameterCounts.wrap(switched != null ? switched.getConnection() : super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        DataSource switched = SWITCHED.get();
        return parameterCounts.wrap(switched != null ? switched.getConnection(username, password)
                : super.getConnection(username, password));
    }

    /** Runs {@code work} on this thread with connections from {@code dataSource}. */
    public static <T> T using(DataSource dataSource, Callable<T> work) throws Exception {
        DataSource before = SWITCHED.get();
        SWITCHED.set(dataSource);
        try {
            return work.call();
        } finally {
            if (before == null) {
                SWITCHED.remove();
            } else {
                SWITCHED.set(before);
            }
        }
    }
}
