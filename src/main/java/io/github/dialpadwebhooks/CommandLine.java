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
 *   rebuild TABLE                                             rebuild a projection (docs/rebuild.md)
 *   send SAMPLE|FILE [--to URL] [--app APP] [--now] [--new-ids]  a signed test event (docs/developing-routes.md)
 *   send --flow call-centre [--to URL] [--app APP]            a whole call-centre call, shuffled, with duplicates
 * </pre>
 * Exit codes: 0 done (status: everything matches), 1 failed or differences found, 2 bad usage or configuration.
 */
public final class CommandLine {

    static final String USAGE = """
            usage: java -jar dialpad-camel-postgres.jar                        run the service
                   java -jar dialpad-camel-postgres.jar reconcile [--since 2026-12-01T00:00:00Z] [--app APP]
                   java -jar dialpad-camel-postgres.jar dialpad setup --hook-url https://host/webhooks/dialpad [--app APP] [--dry-run]
                   java -jar dialpad-camel-postgres.jar dialpad status --hook-url https://host/webhooks/dialpad [--app APP]
                   java -jar dialpad-camel-postgres.jar rebuild calls|messages|contacts|agents|change_log
                   java -jar dialpad-camel-postgres.jar send SAMPLE|FILE [--to http://localhost:8080] [--app APP] [--now] [--new-ids]
                   java -jar dialpad-camel-postgres.jar send --flow call-centre [--to http://localhost:8080] [--app APP]
                     samples: call-ringing, call-hangup, call-recording, call-recap-summary, sms-inbound,
                              contact-created, agent-status, change-log""";

    private CommandLine() {
    }

    /** True when the arguments name a command (else the service runs). */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && List.of("reconcile", "dialpad", "rebuild", "send", "help", "--help")
                .contains(args[0]);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (List.of("--dry-run", "--now", "--new-ids").contains(args[i])) {
                options.put(args[i].substring(2), "true");
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
        if (words.size() == 2 && words.get(0).equals("rebuild")) {
            try {
                return rebuild(words.get(1), out, err);
            } catch (java.io.IOException e) {
                err.println("failed: " + e.getMessage());
                return 1;
            }
        }
        String command = String.join(" ", words);
        if (!words.isEmpty() && words.get(0).equals("send")) {
            command = "send";
        }
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
                case "send" -> send(settings, app, words.size() > 1 ? words.get(1) : null, options, out, err);
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

    /**
     * {@code rebuild TABLE}: the service's routes in this process, with ingest and processing off and no port open
     * to the network (both servers on 127.0.0.1, any free port), rebuild the projection and exit. For a maintenance
     * window or CI; with the service running, POST /projections/{table}/rebuild does the same without downtime.
     */
    private static int rebuild(String table, PrintStream out, PrintStream err) throws java.io.IOException {
        if (io.github.dialpadwebhooks.projections.ProjectionRebuilds.PROJECTIONS.values().stream()
                .noneMatch(p -> p.tables().contains(table))) {
            err.println("no projection holds table '" + table + "'\n" + USAGE);
            return 2;
        }
        org.apache.camel.main.Main main = Application.create();
        main.addOverrideProperty("ingest.enabled", "false");
        main.addOverrideProperty("processor.enabled", "false");
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(freePort()));
        main.addOverrideProperty("camel.management.host", "127.0.0.1");
        main.addOverrideProperty("camel.management.port", Integer.toString(freePort()));
        main.addOverrideProperty("reconcile.first-run-delay-seconds", "86400");
        try {
            main.start();
            io.github.dialpadwebhooks.projections.ProjectionRebuilds rebuilds = main.getCamelContext().getRegistry()
                    .lookupByNameAndType("projectionRebuilds", io.github.dialpadwebhooks.projections.ProjectionRebuilds.class);
            Map<String, Object> started = rebuilds.start(table, "command line");
            long id = ((Number) started.get("id")).longValue();
            out.println("rebuild " + id + " of " + started.get("projection") + " " + started.get("tables") + ": "
                    + started.get("total") + " events");
            while (true) {
                Map<String, Object> state = rebuilds.state(id);
                String status = (String) state.get("status");
                if (!"running".equals(status)) {
                    out.println("rebuild " + id + " " + status + ": " + state.get("done") + " events"
                            + (state.get("error") == null ? "" : "; " + state.get("error")));
                    return "completed".equals(status) ? 0 : 1;
                }
                out.println("rebuild " + id + ": " + state.get("done") + " / " + state.get("total") + " events");
                Thread.sleep(2000);
            }
        } catch (Exception e) {
            err.println("failed: " + e.getMessage());
            return 1;
        } finally {
            try {
                main.stop();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }
    }

    /** send: one event (a sample or a file) or a whole flow, signed with the app's secret, to a running service. */
    private static int send(Settings settings, String app, String what, Map<String, String> options, PrintStream out,
            PrintStream err) throws Exception {
        String flow = options.get("flow");
        if ((what == null) == (flow == null) || (flow != null && !flow.equals("call-centre"))) {
            err.println("send needs a sample, a file or --flow call-centre\n" + USAGE);
            return 2;
        }
        String base = options.getOrDefault("to", "http://localhost:" + settings.text("camel.server.port", "8080"));
        java.net.URI to = java.net.URI.create(base);
        if (to.getPath() == null || to.getPath().isEmpty() || to.getPath().equals("/")) {
            String defaultApp = settings.text("dialpad.default-app-id", DialpadApiKeys.DEFAULT_APP);
            to = to.resolve("/webhooks/dialpad" + (app.equals(defaultApp) ? "" : "/" + app));
        }
        String secret = settings.webhookSecret(app).orElse(null);
        io.github.dialpadwebhooks.dialpad.TestEventSender sender = new io.github.dialpadwebhooks.dialpad.TestEventSender(
                to, secret == null ? null : secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), out,
                System.nanoTime());
        if (flow != null) {
            return sender.callCentreFlow(System.currentTimeMillis()) == 0 ? 0 : 1;
        }
        com.fasterxml.jackson.databind.node.ObjectNode event = io.github.dialpadwebhooks.dialpad.TestEventSender.load(what);
        if (options.containsKey("now")) {
            io.github.dialpadwebhooks.dialpad.TestEventSender.retime(event, System.currentTimeMillis());
        }
        if (options.containsKey("new-ids")) {
            sender.newIds(event);
        }
        return sender.post(event) / 100 == 2 ? 0 : 1;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
        String secret = settings.webhookSecret(app).orElse(null);
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
