package io.github.dialpadwebhooks;

import org.apache.camel.main.Main;

/** Entry point: Camel Main with the top-level application.properties and the YAML routes in routes/. */
public final class Application {

    private static volatile boolean signalled;

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> signalled = true, "shutdown-signal"));
        create().run(args);
        if (signalled) {
            // SIGTERM: Camel has stopped gracefully (webhooks refused, batch finished or released, pool closed);
            // report success rather than the JVM's 143 for a signal
            Runtime.getRuntime().halt(0);
        }
    }

    /** The application as it runs in production; tests start this same Main with their own overrides. */
    public static Main create() {
        Main main = new Main(AppConfiguration.class);
        // the packaged defaults first, then ./application.properties (the file engineers edit) on top
        main.setDefaultPropertyPlaceholderLocation("classpath:application.properties,file:application.properties;optional=true");
        return main;
    }
}
