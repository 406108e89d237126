package io.github.dialpadwebhooks.processing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.db.SqlParameterBodies;
import io.github.dialpadwebhooks.ingest.GroupCommitWriter;
import org.apache.camel.CamelContext;

/** What the processing routes refer to, and this instance's claim token (processor.instance-id). */
public final class ProcessingBeans {

    private ProcessingBeans() {
    }

    public static void bind(CamelContext context, Settings settings, Database database) throws Exception {
        String instanceId = settings.value("processor.instance-id").orElseGet(ProcessingBeans::newInstanceId);
        if (instanceId.length() > 100) {
            throw new IllegalArgumentException("processor.instance-id is longer than 100 characters");
        }
        // the routes' SQL binds it as ${properties:processor.instance-id}
        settings.properties().addOverrideProperty("processor.instance-id", instanceId);
        // added after the database: stopped (claims given back) before the pool closes
        context.addService(new ClaimRelease(() -> database.isMigrated() ? database.dataSource() : null, instanceId),
                true, true);
        // the consumer's scheduler: the poll, and a wake-up as soon as events are stored (EventNotifications)
        long pollDelay = settings.number("processor.poll-delay-ms", 200);
        WakeUpScheduler scheduler = new WakeUpScheduler(pollDelay, pollDelay);
        context.getRegistry().bind("processingScheduler", scheduler);
        if (settings.flag("processor.wake-up.enabled", true)) {
            boolean processes = settings.flag("processor.enabled", true);
            EventNotifications notifications = new EventNotifications(
                    settings.flag("ingest.enabled", true) ? database.dataSource() : null,
                    processes ? () -> database.openConnection(settings.text("database.application-name",
                            "dialpad-camel") + "-listen") : null,
                    processes ? scheduler : null,
                    settings.number("processor.wake-up.notify-interval-ms", 5));
            context.addService(notifications, true, true);
            context.getRegistry().bind("eventNotifications", notifications);
            GroupCommitWriter writer = context.getRegistry().lookupByNameAndType("groupCommitWriter",
                    GroupCommitWriter.class);
            if (writer != null) {
                writer.onStored(notifications::stored);
            }
        }
        context.getRegistry().bind("eventGroups", new EventGroups(context));
        // the bodies camel-sql meets here: the claimed rows (onConsume) and a group (the projections' statements)
        SqlParameterBodies.rememberNotMaps(context,
                List.of(new ArrayList<>(), new EventGroup("call.ringing", List.of(new UUID(0, 0)))));
        context.getRegistry().bind("batchOutcomes", new BatchOutcomes());
        context.getRegistry().bind("pollFailureLogger", new PollFailureLogger());
    }

    /** Unique per process and per Camel context: host, pid and a random suffix. */
    static String newInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        return (host.length() > 40 ? host.substring(0, 40) : host) + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
