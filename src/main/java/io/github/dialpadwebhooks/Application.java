package io.github.dialpadwebhooks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.dialpadwebhooks.tracing.TracingBeans;
import org.apache.camel.main.Main;

/**
 * Entry point: Camel Main with the top-level application.properties and the YAML routes in routes/; or one of the
 * commands of {@link CommandLine} (reconcile, dialpad setup, dialpad status).
 */
public final class Application {

    private static volatile boolean stoppedCleanly;

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (CommandLine.isCommand(args)) {
            System.exit(CommandLine.run(args, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals(CLASS_DATA_SHARING_TRAINING)) {
            classDataSharingTraining();
            return;
        }
        boolean dev = args.length > 0 && args[0].equals("dev");
        CountDownLatch stopped = new CountDownLatch(1);
        // On SIGTERM the JVM would exit with 143 once its hooks are done. This hook waits until Camel has stopped
        // gracefully (webhooks refused, batch finished or released, pool closed) and then reports success: 0.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (stopped.await(60, TimeUnit.SECONDS) && stoppedCleanly) {
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exit-after-graceful-shutdown"));
        try {
            Main main = create();
            if (dev) {
                devMode(main);
            }
            main.run(dev ? new String[0] : args);
            stoppedCleanly = true;
        } catch (Exception e) {
            SafeConfiguration.UnsafeConfigurationException unsafe = unsafeConfiguration(e);
            if (unsafe == null) {
                throw e;
            }
            // a clear message, no stack trace: the operator has a setting to change, not a bug to report
            System.err.println(unsafe.getMessage());
            stopped.countDown();
            System.exit(2);
        } finally {
            stopped.countDown();
        }
    }

    private static SafeConfiguration.UnsafeConfigurationException unsafeConfiguration(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SafeConfiguration.UnsafeConfigurationException unsafe) {
                return unsafe;
            }
        }
        return null;
    }

    /**
     * Dev mode ({@code java -jar … dev}): the keys of the classpath's dev.properties over the configuration (route
     * reload on routes/, the embedded database in data/postgres-dev, a short poll). Never on by default.
     */
    public static void devMode(Main main) throws java.io.IOException {
        java.util.Properties dev = new java.util.Properties();
        try (java.io.InputStream in = Application.class.getClassLoader().getResourceAsStream("dev.properties")) {
            dev.load(in);
        }
        dev.stringPropertyNames().forEach(key -> {
            // an environment variable or -D setting still wins, as it does over application.properties
            String env = key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            if (System.getenv(env) == null && System.getProperty(key) == null) {
                main.addOverrideProperty(key, dev.getProperty(key));
            }
        });
        System.out.println("Dev mode: routes reload from ./routes on save; embedded database in "
                + dev.getProperty("database.embedded.data-dir") + " unless DATABASE_URL is set");
    }

    static final String CLASS_DATA_SHARING_TRAINING = "class-data-sharing-training";

    /**
     * The build's training run for class-data sharing (pom.xml: {@code java -XX:ArchiveClassesAtExit=… -jar …
     * class-data-sharing-training}): the service as it starts, on free loopback ports and with no database there,
     * stopped a second after it started. The classes it loaded are archived, and a start with
     * {@code -XX:SharedArchiveFile} maps them instead of loading them again (docs/deploy.md#start-up).
     */
    static void classDataSharingTraining() throws Exception {
        Main main = create();
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(freePort()));
        main.addOverrideProperty("camel.management.port", Integer.toString(freePort()));
        main.addOverrideProperty("database.url", "postgres://postgres@127.0.0.1:" + freePort() + "/none");
        main.addOverrideProperty("database.direct-url", "");
        main.addOverrideProperty("camel.main.duration-max-seconds", "1");
        main.run(new String[0]);
        System.exit(0);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The application as it runs in production; tests start this same Main with their own overrides. */
    public static Main create() {
        // the configuration and the Java DSL route named, not found by scanning the package (300 ms of start-up)
        Main main = new Main();
        main.configure().addConfiguration(AppConfiguration.class);
        main.configure().addRoutesBuilder(io.github.dialpadwebhooks.projections.ProjectChangeLogRoute.class);
        // the packaged defaults first, then ./application.properties (the file engineers edit) on top
        main.setDefaultPropertyPlaceholderLocation("classpath:application.properties,file:application.properties;optional=true");
        // tracing is off unless the standard OTEL_* variables ask for traces (docs/tracing.md); its beans are bound
        // before Camel's tracer is configured, which happens before AppConfiguration runs
        if (TracingBeans.configured(System.getenv())) {
            main.addInitialProperty("tracing.enabled", "true");
        }
        main.addMainListener(new TracingBeans());
        // camel-cli-connector off unless in dev mode
        main.addMainListener(new DeveloperTools());
        return main;
    }
}
