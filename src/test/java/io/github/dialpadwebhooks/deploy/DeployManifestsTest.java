package io.github.dialpadwebhooks.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/: the compose file and the Kubernetes manifests name the application's real ports, health paths and
 * settings (every environment variable is one the service reads), and never expose the management port without the
 * admin token.
 */
class DeployManifestsTest {

    static final Set<String> HEALTH = Set.of("/observe/health/live", "/observe/health/ready");

    @Test
    void should_use_the_applications_ports_paths_and_settings_in_the_kubernetes_manifests() throws Exception {
        int webhookPort = defaultPort("camel.server.port");
        int managementPort = defaultPort("camel.management.port");
        Set<String> settings = settingNames();
        int containers = 0;
        try (Stream<Path> files = Files.list(Path.of("deploy", "kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    Map<String, Object> resource = map(doc);
                    if ("Secret".equals(resource.get("kind"))) {
                        assertThat(map(resource.get("stringData")).keySet()).as(file + ": secret keys")
                                .allSatisfy(k -> assertThat(settings).contains(k));
                    }
                    if (!"Deployment".equals(resource.get("kind"))) {
                        continue;
                    }
                    for (Object c : list(map(map(map(map(resource.get("spec")).get("template")).get("spec")))
                            .get("containers"))) {
                        containers++;
                        Map<String, Object> container = map(c);
                        Map<String, Integer> ports = new java.util.HashMap<>();
                        for (Object p : list(container.get("ports"))) {
                            ports.put((String) map(p).get("name"), ((Number) map(p).get("containerPort")).intValue());
                        }
                        assertThat(ports).as(file + ": management port").containsEntry("management", managementPort);
                        if (ports.containsKey("webhooks")) {
                            assertThat(ports.get("webhooks")).isEqualTo(webhookPort);
                        }
                        Map<String, String> env = new java.util.HashMap<>();
                        for (Object e : list(container.get("env"))) {
                            env.put((String) map(e).get("name"), String.valueOf(map(e).get("value")));
                        }
                        assertThat(env.keySet()).as(file + ": env names the service reads")
                                .allSatisfy(k -> assertThat(settings).contains(k));
                        for (String probe : List.of("livenessProbe", "readinessProbe")) {
                            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
                            assertThat(HEALTH).as(file + " " + probe).contains((String) get.get("path"));
                            assertThat(get.get("port")).isEqualTo("management");
                        }
                        if ("0.0.0.0".equals(env.get("MANAGEMENT_HOST"))) {
                            assertThat(String.valueOf(container.get("envFrom"))).as(file
                                    + ": a management port on every interface needs ADMIN_TOKEN (from the Secret)")
                                    .contains("dialpad-webhooks");
                        }
                    }
                }
            }
        }
        assertThat(containers).isEqualTo(3);
        assertThat(Files.readString(Path.of("deploy/kubernetes/ingest-and-workers.yaml")))
                .contains("PROCESSOR_ENABLED").contains("INGEST_ENABLED");
    }

    @Test
    void should_use_the_applications_ports_and_settings_in_the_compose_file() throws Exception {
        Map<String, Object> compose = map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("deploy/compose.yaml"))));
        Map<String, Object> service = map(map(compose.get("services")).get("dialpad"));
        Set<String> settings = settingNames();
        assertThat(map(service.get("environment")).keySet()).allSatisfy(k -> assertThat(settings).contains(k));
        assertThat(map(service.get("environment"))).containsKey("ADMIN_TOKEN");
        assertThat(list(service.get("ports"))).containsExactly(defaultPort("camel.server.port") + ":"
                + defaultPort("camel.server.port"), "127.0.0.1:" + defaultPort("camel.management.port") + ":"
                + defaultPort("camel.management.port"));
    }

    /** The default of a {{env:NAME:default}} port setting in application.properties. */
    private static int defaultPort(String key) throws IOException {
        Matcher m = Pattern.compile("\\{\\{env:[A-Z_]+:(\\d+)}}").matcher(properties().getProperty(key));
        assertThat(m.find()).as(key).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Every environment variable the service reads: named in application.properties or derived from its keys. */
    private static Set<String> settingNames() throws IOException {
        Set<String> names = new HashSet<>();
        Properties properties = properties();
        for (String key : properties.stringPropertyNames()) {
            names.add(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            Matcher env = Pattern.compile("\\{\\{env:([A-Z_]+)").matcher(properties.getProperty(key));
            while (env.find()) {
                names.add(env.group(1));
            }
        }
        return names;
    }

    private static Properties properties() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? new ArrayList<>() : (List<Object>) o;
    }
}
