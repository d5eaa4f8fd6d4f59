package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One {@code helm template} of the chart, by the real Helm embedded in helm-java, with every document read into the
 * fabric8 model of its kind; a field the model does not know fails the rendering (see {@link UnknownFields}).
 */
final class RenderedChart {
    static final String RELEASE = "ipw";
    static final String NAMESPACE = "policy-system";
    static final String FULLNAME = "ipw-image-policy-webhook";

    final String yaml;
    final List<HasMetadata> objects;

    private RenderedChart(String yaml, List<HasMetadata> objects) {
        this.yaml = yaml;
        this.objects = objects;
    }

    /**
     * Renders with the chart's defaults and then each of the given values files.
     *
     * <p>helm-java 0.0.15's template (and its dry-run install) prints the release manifest without hooks, where the
     * helm CLI prints both. So the chart is rendered from a copy whose {@code helm.sh/hook} annotation keys are renamed,
     * which makes Helm treat hooks as plain resources, and the name is put back in the output: the hooks' content is
     * what Helm renders, and they are checked like everything else.
     */
    static RenderedChart render(Path... valuesFiles) {
        TemplateCommand template = new Helm(hooksVisibleCopy()).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path values : valuesFiles) {
            template = template.withValuesFile(values);
        }
        String yaml = template.call().replace(HIDDEN_HOOK, HOOK);
        return new RenderedChart(yaml, parse(yaml));
    }

    private static final String HOOK = "helm.sh/hook";
    private static final String HIDDEN_HOOK = "rendered-by-test.invalid/hook";
    private static Path copy;

    private static synchronized Path hooksVisibleCopy() {
        if (copy != null) {
            return copy;
        }
        try {
            Path target = Files.createTempDirectory("chart-").resolve("image-policy-webhook");
            Path source = Project.chart();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else if (file.toString().contains("/templates/")) {
                        Files.writeString(to, Files.readString(file).replace(HOOK, HIDDEN_HOOK));
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
            copy = target;
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<String, RenderedChart> VARIANTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A documented variant, rendered once per test run. */
    static RenderedChart variant(String name) {
        return VARIANTS.computeIfAbsent(name, n -> n.equals("defaults") ? render() : render(Project.variant(n)));
    }

    private static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            for (JsonNode doc : mapper.readValues(parser, JsonNode.class).readAll()) {
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                Object typed = Serialization.unmarshal(doc.toString());
                assertThat(typed).as("a fabric8 model for %s", doc.path("kind")).isInstanceOf(HasMetadata.class);
                HasMetadata object = (HasMetadata) typed;
                if (!(object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource)) {
                    assertThat(UnknownFields.in(object)).as("fields the %s model does not know", object.getKind()).isEmpty();
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new AssertionError("helm rendered YAML that does not parse", e);
        }
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in\n" + names()));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    static Map<String, String> annotations(HasMetadata o) {
        return o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
    }
}
