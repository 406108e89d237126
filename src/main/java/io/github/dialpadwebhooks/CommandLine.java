package io.github.dialpadwebhooks;

import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.db.DatabaseBeans;
import io.github.dialpadwebhooks.dialpad.DialpadApi;
import io.github.dialpadwebhooks.dialpad.DialpadApiKeys;
import io.github.dialpadwebhooks.dialpad.DialpadSetup;
import io.github.dialpadwebhooks.reconcile.ReconcileBeans;
import io.github.dialpadwebhooks.reconcile.Reconciler;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The commands besides running the service, with the same configuration (application.properties, environment):
 * <pre>
 *   reconcile [--since ISO-TIME] [--app APP]                 one reconcile run (docs/reconcile.md)
 *   dialpad setup --hook-url URL [--app APP] [--dry-run]      webhook + subscriptions (docs/connecting-dialpad.md)
 *   dialpad status --hook-url URL [--app APP]                 what Dialpad has against what is expected
 * </pre>
 * Exit codes: 0 done (status: everything matches), 1 failed or differences found, 2 bad usage or configuration.
 */
public final class CommandLine {

    static final String USAGE = """
            usage: java -jar dialpad-camel-postgres.jar                        run the service
                   java -jar dialpad-camel-postgres.jar reconcile [--since 2026-12-01T00:00:00Z] [--app APP]
                   java -jar dialpad-camel-postgres.jar dialpad setup --hook-url https://host/webhooks/dialpad [--app APP] [--dry-run]
                   java -jar dialpad-camel-postgres.jar dialpad status --hook-url https://host/webhooks/dialpad [--app APP]""";

    private CommandLine() {
    }

    /** True when the arguments name a command (else the service runs). */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && List.of("reconcile", "dialpad", "help", "--help").contains(args[0]);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dry-run")) {
                options.put("dry-run", "true");
            } else if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println(args[i] + " needs a value\n" + USAGE);
                    return 2;
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                words.add(args[i]);
            }
        }
        String command = String.join(" ", words);
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setLocation(
                    "classpath:application.properties,file:application.properties;optional=true");
            Settings settings = new Settings(context.getPropertiesComponent());
            String app = options.getOrDefault("app", settings.text("dialpad.default-app-id", DialpadApiKeys.DEFAULT_APP));
            return switch (command) {
                case "reconcile" -> reconcile(context, settings, app, options.get("since"), out, err);
                case "dialpad setup" -> setup(settings, app, options, false, out, err);
                case "dialpad status" -> setup(settings, app, options, true, out, err);
                default -> {
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (Exception e) {
            err.println("failed: " + e.getMessage());
            return 1;
        }
        // the context only reads the configuration: it is never started, so there is nothing to stop
    }

    private static int reconcile(DefaultCamelContext context, Settings settings, String app, String since,
            PrintStream out, PrintStream err) throws Exception {
        Instant from = null;
        if (since != null) {
            try {
                from = OffsetDateTime.parse(since).toInstant();
            } catch (DateTimeParseException e) {
                err.println("--since must be an ISO-8601 time with an offset, e.g. 2026-12-01T00:00:00Z");
                return 2;
            }
        }
        if (ReconcileBeans.apiKeys(settings).keyOf(app).isEmpty()) {
            err.println("no Dialpad API key for app '" + app + "': set DIALPAD_API_KEY (or dialpad.apps." + app
                    + ".api-key)");
            return 2;
        }
        Database database = DatabaseBeans.bind(context, settings);
        try {
            Reconciler reconciler = ReconcileBeans.create(settings, database, "cli-" + ProcessHandle.current().pid(),
                    null);
            Reconciler.Run run = reconciler.run(app, from, "cli");
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(run.toMap()));
            if (run.callsStored() + run.contactsStored() > 0) {
                out.println("stored events are projected by the service's processor (processor.enabled)");
            }
            return "completed".equals(run.status()) ? 0 : 1;
        } finally {
            database.stop();
        }
    }

    private static int setup(Settings settings, String app, Map<String, String> options, boolean statusOnly,
            PrintStream out, PrintStream err) throws Exception {
        String hookUrl = options.get("hook-url");
        if (hookUrl == null || !(hookUrl.startsWith("https://") || hookUrl.startsWith("http://"))) {
            err.println("--hook-url is needed: the public URL Dialpad posts to, e.g. https://example.com/webhooks/dialpad"
                    + (app.equals(DialpadApiKeys.DEFAULT_APP) ? "" : "/" + app) + "\n" + USAGE);
            return 2;
        }
        String secret = settings.value("dialpad.apps." + app + ".secret")
                .or(() -> settings.value("dialpad.webhook-secret")).orElse(null);
        if (secret == null) {
            err.println("no webhook secret for app '" + app + "': set DIALPAD_WEBHOOK_SECRET (or dialpad.apps." + app
                    + ".secret) first; Dialpad signs every event with it");
            return 2;
        }
        String key = ReconcileBeans.apiKeys(settings).keyOf(app).orElse(null);
        if (key == null) {
            err.println("no Dialpad API key for app '" + app + "': set DIALPAD_API_KEY (or dialpad.apps." + app
                    + ".api-key)");
            return 2;
        }
        if (hookUrl.startsWith("http://")) {
            err.println("warning: " + hookUrl + " is not https: Dialpad's events would cross the network unencrypted");
        }
        DialpadApi api = ReconcileBeans.api(settings, key);
        DialpadSetup setup = new DialpadSetup(api, new DialpadSetup.Expected(hookUrl, secret,
                list(settings.text("dialpad.setup.call-states", "hangup")),
                settings.flag("dialpad.setup.sms-include-internal", false),
                list(settings.text("dialpad.setup.contact-types", "shared")),
                settings.flag("dialpad.setup.agent-status", true),
                settings.flag("dialpad.setup.change-log", false)), out);
        out.println("Dialpad " + settings.text("dialpad.api.url", "https://dialpad.com") + ", app '" + app + "'");
        if (statusOnly) {
            return setup.status() == 0 ? 0 : 1;
        }
        setup.setup(options.containsKey("dry-run"));
        return 0;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
