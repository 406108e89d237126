package io.github.dialpadwebhooks;

import org.apache.camel.CamelContext;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CliConnectorFactory;

/**
 * Camel's developer tools, for dev mode only (docs/developing-routes.md). camel-cli-connector starts by itself
 * whenever it is on the class path: it lets any local process of the same user run actions in this JVM (send a
 * message, reload, evaluate an expression) through files in ~/.camel. So it is switched off here unless
 * {@code developer.cli-connector.enabled} is true, which only dev.properties sets. The developer console
 * ({@code camel.management.dev-console-enabled}, also dev.properties only) answers loopback clients only
 * ({@link io.github.dialpadwebhooks.http.ManagementHttpGuard}).
 */
final class DeveloperTools extends MainListenerSupport {

    /** Before camel-main looks the connector up, which is before AppConfiguration runs. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        bind(context, new Settings(context.getPropertiesComponent()));
    }

    static void bind(CamelContext context, Settings settings) {
        if (!settings.flag("developer.cli-connector.enabled", false)) {
            DefaultCliConnectorFactory off = new DefaultCliConnectorFactory();
            off.setEnabled(false);
            context.getRegistry().bind("cliConnectorFactory", CliConnectorFactory.class, off);
        }
    }
}
