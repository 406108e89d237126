package io.github.dialpadwebhooks.projections;

import org.apache.camel.ShutdownRoute;
import org.apache.camel.builder.RouteBuilder;

/**
 * change_log events -> change_log: one row per event (sql/projections/change-log.sql). The one projection written
 * in the Java DSL, the twin of the YAML route it replaces (docs/adding-an-event-type.md shows both): camel-main finds
 * it by scanning this project's packages, so it needs no wiring. Same id, same route configuration
 * (projection-errors), same SQL file as a YAML projection; route-event-group sends change_log events here.
 */
public class ProjectChangeLogRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:project-change-log")
                .routeId("project-change-log")
                .description("Project a group of change-log events into change_log")
                .routeConfigurationId("projection-errors")
                .shutdownRoute(ShutdownRoute.Defer)
                .to("sql:classpath:sql/projections/change-log.sql");
    }
}
