package io.github.dialpadwebhooks.projections;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.processing.EventGroups;
import org.apache.camel.CamelContext;

/** The projection rebuilds the admin routes call ({@code projectionRebuilds}). */
public final class ProjectionBeans {

    private ProjectionBeans() {
    }

    public static void bind(CamelContext context, Settings settings, Database database) throws Exception {
        ProjectionRebuilds rebuilds = new ProjectionRebuilds(context, database,
                context.getRegistry().lookupByNameAndType("eventGroups", EventGroups.class),
                settings.text("processor.instance-id", "instance"),
                settings.integer("rebuild.batch-size", 2000), settings.integer("rebuild.workers", 2),
                settings.integer("rebuild.lease-seconds", 60));
        context.addService(rebuilds, true, true);
        context.getRegistry().bind("projectionRebuilds", rebuilds);
    }
}
