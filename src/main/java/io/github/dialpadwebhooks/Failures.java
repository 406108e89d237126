package io.github.dialpadwebhooks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the routes need to know about a failure: its root cause and PostgreSQL's SQLSTATE, if any. */
public final class Failures {

    private Failures() {
    }

    /** The innermost cause (for SQL failures the driver's exception, not the wrappers around it); cycle-safe. */
    public static Throwable root(Throwable failure) {
        Throwable root = failure;
        List<Throwable> seen = new ArrayList<>();
        while (root.getCause() != null && !seen.contains(root.getCause())) {
            seen.add(root);
            root = root.getCause();
        }
        return root;
    }

    /** "SimpleClassName: message" of the root cause, for one-line logs. */
    public static String rootMessage(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable root = root(failure);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The SQLSTATE of the first SQLException in the cause chain, or null. */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
