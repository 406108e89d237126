package io.github.dialpadwebhooks.projections;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The guide's YAML twin of the Java change-log projection makes the same route as the Java class. */
class JavaDslTwinTest {

    @Test
    void should_make_the_same_route_from_the_java_class_and_the_guides_yaml_twin() throws Exception {
        String guide = Files.readString(Path.of("docs", "adding-an-event-type.md"));
        Matcher yaml = Pattern.compile("YAML twin[^\\n]*\\n(?:[^\\n]*\\n)*?\\n```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(guide);
        assertThat(yaml.find()).as("the guide's YAML twin").isTrue();
        Matcher java = Pattern.compile("Java twin:\\s*\\n\\s*\\n```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(java.find()).as("the guide's Java twin").isTrue();
        assertThat(Files.readString(Path.of("src/main/java/io/github/dialpadwebhooks/projections/"
                + "ProjectChangeLogRoute.java"))).as("the guide shows the class as it is")
                .contains(java.group(1).substring(java.group(1).indexOf("    @Override")).trim());

        RouteDefinition fromJava;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new ProjectChangeLogRoute());
            fromJava = only(context);
        }
        RouteDefinition fromYaml;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.fromString("twin.camel.yaml", yaml.group(1)));
            fromYaml = only(context);
        }
        assertThat(fromYaml.getRouteId()).isEqualTo(fromJava.getRouteId()).isEqualTo("project-change-log");
        assertThat(fromYaml.getDescriptionText()).isEqualTo(fromJava.getDescriptionText());
        assertThat(fromYaml.getRouteConfigurationId()).isEqualTo(fromJava.getRouteConfigurationId());
        assertThat(fromYaml.getShutdownRoute()).isEqualTo(fromJava.getShutdownRoute());
        assertThat(fromYaml.getInput().getEndpointUri()).isEqualTo(fromJava.getInput().getEndpointUri());
        assertThat(targets(fromYaml)).isEqualTo(targets(fromJava))
                .containsExactly("sql:classpath:sql/projections/change-log.sql");
    }

    private static RouteDefinition only(DefaultCamelContext context) {
        List<RouteDefinition> routes = context.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                .getRouteDefinitions();
        assertThat(routes).hasSize(1);
        return routes.get(0);
    }

    private static List<String> targets(RouteDefinition route) {
        return route.getOutputs().stream().map(o -> ((ToDefinition) o).getEndpointUri()).toList();
    }
}
