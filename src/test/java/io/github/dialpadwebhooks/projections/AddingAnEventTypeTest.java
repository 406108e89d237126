package io.github.dialpadwebhooks.projections;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import io.github.dialpadwebhooks.support.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/adding-an-event-type.md, followed exactly as written: its "File:" blocks are written where they say (the
 * migration and the SQL file on the test class path, the route in a copy of routes/), its "Insert in:" block is
 * inserted before the line the page names, then the service runs on its own schema and call.hold events land in the
 * new table as well as in calls. The page's catch-up statement is run too.
 */
class AddingAnEventTypeTest {

    static final Path GUIDE = Path.of("docs", "adding-an-event-type.md");
    static final Path CLASSES = Path.of("target", "test-classes");
    static final String SCHEMA = "adding_an_event_type";
    static final long CALL = 7_660_000_000_000_001L;

    @Test
    void should_project_a_new_event_type_by_following_the_guide(@TempDir Path work) throws Exception {
        String guide = Files.readString(GUIDE);
        Map<String, String> files = blocks(guide, "File: `([^`]+)`");
        Map<String, String> inserts = blocks(guide, "Insert in: `([^`]+)`");
        Matcher anchor = Pattern.compile("right before the line\\s+`([^`]+)`").matcher(guide);
        assertThat(files).hasSize(3);
        assertThat(inserts).hasSize(1);
        assertThat(anchor.find()).as("the guide names the line to insert before").isTrue();

        // the routes as shipped, plus the guide's route file and its "when"
        Path routes = work.resolve("routes");
        TestFiles.copyTree(Path.of("routes"), routes);
        List<Path> onClassPath = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target;
            if (file.getKey().startsWith("routes/")) {
                target = work.resolve(file.getKey());
            } else {
                // src/main/resources/x -> the class path, where the service reads migrations and SQL files
                target = CLASSES.resolve(file.getKey().replaceFirst("^src/main/resources/", ""));
                assertThat(target).as("the guide's file must be new: " + file.getKey()).doesNotExist();
                assertThat(Path.of(file.getKey())).as("the guide's file must be new: " + file.getKey()).doesNotExist();
                onClassPath.add(target);
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        Map.Entry<String, String> insert = inserts.entrySet().iterator().next();
        Path router = work.resolve(insert.getKey());
        String routerText = Files.readString(router);
        String anchorLine = anchor.group(1);
        int at = routerText.indexOf(anchorLine);
        assertThat(at).as("the line the guide names is in " + insert.getKey()).isPositive();
        int lineStart = routerText.lastIndexOf('\n', at) + 1;
        Files.writeString(router, routerText.substring(0, lineStart) + insert.getValue()
                + routerText.substring(lineStart));

        try (Connection c = TestDatabase.get().connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
        }
        RunningApp app = RunningApp.withProperty("camel.main.routes-include-pattern",
                        "file:" + routes.toAbsolutePath() + "/**/*.camel.yaml")
                .and("processor.poll-delay-ms", "20")
                .withDatabaseUrl(TestDatabase.get().jdbcUrl() + "&currentSchema=" + SCHEMA);
        try {
            app.start();
            String held = Fixtures.call(CALL).state("hold").at(1_731_600_005_000L).json();
            assertThat(app.post("/webhooks/dialpad",
                    Fixtures.call(CALL).state("ringing").at(1_731_600_000_000L).json()).statusCode()).isEqualTo(202);
            assertThat(app.post("/webhooks/dialpad", held).statusCode()).isEqualTo(202);
            assertThat(app.post("/webhooks/dialpad", held).statusCode()).as("a redelivery").isEqualTo(200);
            awaitProcessed();

            assertThat(Sql.rows("SELECT app_id, dialpad_call_id, held_at FROM " + SCHEMA + ".call_holds"))
                    .extracting(r -> r.get("app_id") + " " + r.get("dialpad_call_id") + " " + r.get("held_at"))
                    .containsExactly("default " + CALL + " 2024-11-14T16:00:05Z");
            assertThat(Sql.value("SELECT last_state FROM " + SCHEMA + ".calls WHERE dialpad_call_id = ?", CALL))
                    .as("and calls still gets the event").isEqualTo("hold");
            assertThat(Sql.count("SELECT count(*) FROM " + SCHEMA + ".webhook_events WHERE outcome = 'processed'"))
                    .isEqualTo(2);

            // the guide's catch-up statement: re-processing changes nothing
            Matcher catchUp = Pattern.compile("```sql\\n(UPDATE webhook_events[^`]*)```").matcher(guide);
            assertThat(catchUp.find()).isTrue();
            Sql.execute(catchUp.group(1).replace("webhook_events", SCHEMA + ".webhook_events"));
            awaitProcessed();
            assertThat(Sql.count("SELECT count(*) FROM " + SCHEMA + ".call_holds")).isEqualTo(1);
        } finally {
            app.stop();
            for (Path file : onClassPath) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void awaitProcessed() {
        await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count("SELECT count(*) FROM " + SCHEMA
                + ".webhook_events WHERE processed_at IS NULL") == 0);
    }

    /** The fenced blocks that follow a line matching the marker (its group 1 names the file), in order. */
    private static Map<String, String> blocks(String markdown, String marker) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile(marker + "\\s*\\n\\s*\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.put(m.group(1), m.group(2));
        }
        return blocks;
    }
}
