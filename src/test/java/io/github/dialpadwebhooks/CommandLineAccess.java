package io.github.dialpadwebhooks;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** Runs a {@link CommandLine} command with these settings as system properties (restored afterwards). */
public final class CommandLineAccess {

    private CommandLineAccess() {
    }

    public static synchronized int run(String[] args, Map<String, String> settings, PrintStream out, PrintStream err) {
        Map<String, String> previous = new HashMap<>();
        settings.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        try {
            return CommandLine.run(args, out, err);
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
