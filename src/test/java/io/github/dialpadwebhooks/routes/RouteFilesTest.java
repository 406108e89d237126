package io.github.dialpadwebhooks.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file, checked in the build: valid against Camel's own YAML DSL schema (schema/camelYamlDsl.json in
 * the camel-yaml-dsl jar), and loaded by Camel's YAML routes loader. A broken edit fails {@code mvn test} with the
 * file and the line.
 */
class RouteFilesTest {

    static final Path ROUTES = Path.of("routes");

    @Test
    void should_match_camels_yaml_dsl_schema() throws Exception {
        JsonSchema schema;
        try (InputStream in = DefaultCamelContext.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("camel-yaml-dsl's schema on the class path").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        List<String> problems = new ArrayList<>();
        List<Path> files = routeFiles();
        assertThat(files).hasSizeGreaterThan(30);
        for (Path file : files) {
            Map<String, Integer> lines = new LinkedHashMap<>();
            JsonNode routes = toJson(compose(file), "", lines);
            Set<ValidationMessage> messages = schema.validate(routes);
            for (ValidationMessage m : messages) {
                String pointer = m.getInstanceLocation().toString().replaceFirst("^\\$", "").replace('.', '/')
                        .replaceAll("\\[(\\d+)]", "/$1");
                problems.add(file + ":" + lineOf(pointer, lines) + ": " + m.getMessage());
            }
        }
        assertThat(problems).as("route files that do not match Camel's YAML DSL schema").isEmpty();
    }

    @Test
    void should_load_every_route_file_on_its_own() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path file : routeFiles()) {
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file.toAbsolutePath());
                PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            } catch (Exception e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        assertThat(problems).as("route files Camel cannot load").isEmpty();
    }

    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(ROUTES)) {
            return paths.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    private static Node compose(Path file) throws IOException {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        Composer composer = new Composer(settings, new ParserImpl(settings,
                new StreamReader(settings, Files.readString(file))));
        return composer.getSingleNode().orElseThrow();
    }

    /** The YAML as JSON (scalars typed as YAML resolves them), remembering each JSON pointer's line. */
    private static JsonNode toJson(Node node, String pointer, Map<String, Integer> lines) {
        lines.put(pointer, node.getStartMark().map(m -> m.getLine() + 1).orElse(0));
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode mapping) {
            ObjectNode object = f.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                object.set(key, toJson(tuple.getValueNode(), pointer + "/" + key, lines));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = f.arrayNode();
            for (int i = 0; i < sequence.getValue().size(); i++) {
                array.add(toJson(sequence.getValue().get(i), pointer + "/" + i, lines));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.BOOL)) {
            return f.booleanNode(Boolean.parseBoolean(scalar.getValue()));
        }
        if (tag.equals(Tag.INT)) {
            return f.numberNode(Long.parseLong(scalar.getValue()));
        }
        if (tag.equals(Tag.NULL)) {
            return f.nullNode();
        }
        return f.textNode(scalar.getValue());
    }

    private static int lineOf(String pointer, Map<String, Integer> lines) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            if (lines.containsKey(p)) {
                return lines.get(p);
            }
            if (p.isEmpty()) {
                return 0;
            }
        }
    }
}
