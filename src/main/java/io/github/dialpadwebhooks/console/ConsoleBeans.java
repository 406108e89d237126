package io.github.dialpadwebhooks.console;

import java.time.Clock;
import java.time.Duration;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.admin.AdminAuthorization;
import io.github.dialpadwebhooks.admin.AdminFailureResponse;
import io.github.dialpadwebhooks.admin.AdminSessions;
import io.github.dialpadwebhooks.db.Database;
import org.apache.camel.CamelContext;

/** The admin API's access control (shared by every admin route) and the operator console. */
public final class ConsoleBeans {

    private ConsoleBeans() {
    }

    public static void bind(CamelContext context, Settings settings, Database database) {
        AdminAuthorization authorization = new AdminAuthorization(new AdminSessions(settings.text("admin.token", ""),
                Duration.ofMinutes(settings.integer("console.session-minutes", 720)), Clock.systemUTC(),
                database::dataSource));
        context.getRegistry().bind("adminAuthorization", authorization);
        context.getRegistry().bind("adminFailureResponse", new AdminFailureResponse());
        context.getRegistry().bind("auditLog", new io.github.dialpadwebhooks.admin.AuditLog(database.dataSource()));
        context.getRegistry().bind("operatorConsole", new OperatorConsole(authorization,
                new SignInThrottle(settings.integer("console.sign-in-failures-per-minute", 10), Clock.systemUTC())));
    }
}
