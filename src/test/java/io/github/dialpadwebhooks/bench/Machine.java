package io.github.dialpadwebhooks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.dialpadwebhooks.support.Sql;

/** One line describing where a benchmark ran, printed with its figures. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        long memKb = 0;
        String cpu = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the details out
        }
        return String.format("machine: %d cores (%s), %.1f GiB RAM, %s %s, Java %s, %s",
                Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024.0 / 1024.0,
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                Sql.value("SELECT split_part(version(), ' on ', 1)"));
    }
}
