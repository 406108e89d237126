package io.github.dialpadwebhooks.operations;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's training start for class-data sharing (pom.xml, docs/deploy.md#start-up): it must start the service
 * without a database, on ports of its own, and exit 0 by itself, or {@code mvn package} would fail or hang.
 */
class ClassDataSharingTrainingTest {

    @Test
    void theTrainingStartStartsEveryRouteAndExitsCleanlyWithoutADatabase() throws Exception {
        Path log = Path.of("target", "class-data-sharing-training-test.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.github.dialpadwebhooks.Application", "class-data-sharing-training");
        builder.directory(new File(System.getProperty("user.dir")));
        // whatever the environment says, the training uses no database of its own and the usual ports are not needed
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("PORT", "1");
        builder.environment().put("MANAGEMENT_PORT", "1");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(exited).as("exits by itself").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Started receive-dialpad-webhook", "Started process-webhook-events",
                "Started project-change-log");
        assertThat(output).as("no embedded database started").doesNotContain("embedded PostgreSQL");
    }
}
