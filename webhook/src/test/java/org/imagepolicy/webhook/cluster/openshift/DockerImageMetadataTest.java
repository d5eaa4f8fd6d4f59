package org.imagepolicy.webhook.cluster.openshift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The typed reader of an Image's loosely typed {@code dockerImageMetadata}, on objects as OpenShift servers returned them. */
class DockerImageMetadataTest {
    private static JsonNode read(String resource, ObjectMapper mapper) throws Exception {
        try (InputStream in = DockerImageMetadataTest.class.getResourceAsStream("/openshift/" + resource)) {
            return mapper.readTree(in);
        }
    }

    @Test
    void labelsOfARealImage() throws Exception {
        JsonNode image = read("imagestreammapping.openshift-docs.yaml", new ObjectMapper(new YAMLFactory())).path("image");
        assertThat(DockerImageMetadata.labels(image))
                .containsEntry("io.openshift.build.commit.id", "00cadc392d39d5ef9117cbc8a31db0889eedd442")
                .containsEntry("io.k8s.display-name", "172.30.56.218:5000/test/origin-ruby-sample:latest")
                .containsKey("build-date");
    }

    @Test
    void anImageStreamTagWhoseMetadataHasNoConfigHasNoLabels() throws Exception {
        JsonNode image = read("imagestreamtag.example.json", new ObjectMapper()).path("image");
        assertThat(image.path("dockerImageMetadata").isObject()).as("the fixture has metadata, without Config").isTrue();
        assertThat(DockerImageMetadata.labels(image)).isEmpty();
        assertThat(DockerImageMetadata.annotations(image)).isEmpty();
    }

    @Test
    void nullConfigNullLabelsAndOddValuesDoNotCrash() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(DockerImageMetadata.labels(json.readTree("{\"dockerImageMetadata\":{\"Config\":null}}"))).isEmpty();
        assertThat(DockerImageMetadata.labels(json.readTree("{\"dockerImageMetadata\":{\"Config\":{\"Labels\":null}}}"))).isEmpty();
        assertThat(DockerImageMetadata.labels(json.readTree("{\"dockerImageMetadata\":\"not an object\"}"))).isEmpty();
        assertThat(DockerImageMetadata.labels(json.readTree("{}"))).isEmpty();
        assertThat(DockerImageMetadata.labels(json.readTree(
                "{\"dockerImageMetadata\":{\"Config\":{\"Labels\":{\"a\":\"1\",\"n\":2,\"x\":null,\"o\":{\"k\":1}}}}}")))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", "1", "n", "2"));
    }
}
