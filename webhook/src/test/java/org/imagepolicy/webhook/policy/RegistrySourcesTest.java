package org.imagepolicy.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry settings clusters keep outside an ImagePolicyConfig, read verbatim from
 * {@code policy-sources/}: each must amount to the ImagePolicyConfig in {@code policy-sources/equivalent/}
 * (what {@code check-policy --explain} prints; {@code -Dgolden.update=true} rewrites them), and that
 * equivalent must read back as the very same policy.
 */
class RegistrySourcesTest {
    static final Path DIR = Project.root().resolve("webhook/src/test/resources/policy-sources");

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().contains("formatting-artefacts"))
                    .sorted().toList();
        }
    }

    static PolicyParser.Parsed parse(Path file) throws IOException {
        try {
            return new PolicyParser(false).parse(file.getFileName().toString(), Files.readString(file));
        } catch (PolicyException e) {
            return fail(file + " should load:\n" + e.getMessage());
        }
    }

    private static List<String> errors(String name, String text) {
        try {
            new PolicyParser(false).parse(name, text);
        } catch (PolicyException e) {
            return e.problems().stream().filter(PolicyProblem::isError).map(PolicyProblem::format).toList();
        }
        return fail(name + " should be rejected");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void eachSourceAmountsToItsGoldenImagePolicyConfig(Path file) throws Exception {
        PolicyParser.Parsed parsed = parse(file);
        String name = file.getFileName().toString().replaceAll("\\.(yaml|json|conf|toml)$", "");
        Path golden = DIR.resolve("equivalent/" + name + ".yaml");
        Golden.assertTextMatches(golden, PolicyWriter.yaml(parsed.policy()));
        ImagePolicy reread = new PolicyParser(false).parse(golden.toString(), Files.readString(golden)).policy();
        assertThat(reread).as("the equivalent reads back as the same policy").isEqualTo(parsed.policy());
    }

    @Test
    void aDirectoryMergesTheClusterImageConfigurationWithImagePolicyConfigFiles() throws Exception {
        String image = Files.readString(DIR.resolve("image-config-blocked-registries-wildcard-and-repository.yaml"));
        String policy = Files.readString(Project.root().resolve("policies/openshift-default.yaml"));
        ImagePolicy merged = new PolicyParser(false).parse(List.of(new PolicyParser.Source("image.yaml", image),
                new PolicyParser.Source("openshift-default.yaml", policy))).policy();
        assertThat(merged.executionRules()).extracting(ExecutionRule::name)
                .contains("registry-sources-blocked", "registry-sources-blocked-repositories", "execution-denied");
        assertThat(merged.integratedRegistryHostnames()).extracting(h -> h.text())
                .contains("image-registry.openshift-image-registry.svc:5000");
    }

    @Test
    void theClusterImageConfigurationTurnsIntoRulesForPodsWorkloadsAndBuilds() throws Exception {
        ImagePolicy p = parse(DIR.resolve("image-config-allowed-registries-insecure-search-and-imports.yaml")).policy();
        ExecutionRule hosts = p.executionRules().get(0);
        assertThat(hosts.reject()).isFalse();
        assertThat(hosts.onResources()).contains(Resources.PODS, Resources.BUILDS, GroupResource.of("apps", "deployments"),
                GroupResource.of("apps.openshift.io", "deploymentconfigs"));
        assertThat(p.insecureRegistries()).containsExactly("insecure.com", "registry.lab.example.net:5000");
        assertThat(p.unqualifiedSearchRegistries()).containsExactly("registry.redhat.io", "quay.io");
        assertThat(p.allowedRegistriesForImport()).extracting(i -> i.display())
                .containsExactly("quay.io:443", "registry.redhat.io:443", "*.example.com:443", "registry.lab.example.net:5000");
    }

    @Test
    void anotherNameOfDockerHubDoesNotMakeDockerHubInsecure() throws Exception {
        String conf = """
                [[registry]]
                location = "index.docker.io"
                insecure = true

                [[registry]]
                location = "registry-1.docker.io/library"
                insecure = true

                [[registry]]
                location = "*.docker.io"
                insecure = true
                """;
        PolicyParser.Parsed parsed = new PolicyParser(false).parse("registries.conf", conf);
        assertThat(parsed.policy().insecureRegistries()).as("only docker.io itself names Docker Hub").containsExactly("*.docker.io");
        assertThat(parsed.warnings()).extracting(PolicyProblem::format).hasSize(2).allSatisfy(w -> assertThat(w)
                .contains("is another name of Docker Hub").contains("write docker.io to make Docker Hub insecure"));
        String image = """
                apiVersion: config.openshift.io/v1
                kind: Image
                metadata:
                  name: cluster
                spec:
                  registrySources:
                    insecureRegistries:
                    - Docker.io
                """;
        assertThat(new PolicyParser(false).parse("image.yaml", image).policy().insecureRegistries()).containsExactly("docker.io");
    }

    @Test
    void wildcardInsecureRegistriesAreKeptCanonicalAndABareTopLevelDomainIsWarnedAbout() throws Exception {
        String image = """
                apiVersion: config.openshift.io/v1
                kind: Image
                metadata:
                  name: cluster
                spec:
                  registrySources:
                    insecureRegistries:
                    - '*.Lab.Example.com'
                    - '*.registry.internal:5000'
                    - registry.lab.example.net:05000
                    - '*.corp'
                """;
        PolicyParser.Parsed fromImage = new PolicyParser(false).parse("image.yaml", image);
        assertThat(fromImage.policy().insecureRegistries())
                .containsExactly("*.lab.example.com", "*.registry.internal:5000", "registry.lab.example.net:5000", "*.corp");
        assertThat(fromImage.warnings()).extracting(PolicyProblem::format).singleElement().asString()
                .startsWith("image.yaml:11: warning: spec.registrySources.insecureRegistries[3]: \"*.corp\" makes every registry under .corp"
                        + " insecure: lookups there accept any certificate or plain HTTP");

        String conf = """
                [[registry]]
                location = "*.dev.example.com"
                insecure = true

                [[registry]]
                prefix = "quay.io/team"
                location = "mirror.dev.example.com:8443/team"
                insecure = true
                """;
        PolicyParser.Parsed fromConf = new PolicyParser(false).parse("registries.conf", conf);
        assertThat(fromConf.policy().insecureRegistries()).containsExactly("*.dev.example.com", "mirror.dev.example.com:8443");
        assertThat(fromConf.warnings()).isEmpty();
        // What check-policy --explain prints reads back as the same insecure registries.
        PolicyParser.Parsed back = new PolicyParser(false).parse("explained.yaml", PolicyWriter.yaml(fromImage.policy()));
        assertThat(back.policy().insecureRegistries()).isEqualTo(fromImage.policy().insecureRegistries());
    }

    @Test
    void aTagInARegistrySourceIsWidenedToItsRepositoryWithAWarning() throws Exception {
        PolicyParser.Parsed parsed = parse(DIR.resolve("image-config-allowed-registries-insecure-search-and-imports.yaml"));
        assertThat(parsed.warnings()).extracting(PolicyProblem::format).anySatisfy(w -> assertThat(w)
                .startsWith("image-config-allowed-registries-insecure-search-and-imports.yaml:74: warning:")
                .contains("reg1.io/myrepo/myapp:latest\" names one tag").contains("allows every tag and digest of reg1.io/myrepo/myapp"));
    }

    @Test
    void theDocumentedInstallerVariableSaysItsBackslashIsMarkdown() throws Exception {
        Path file = DIR.resolve("installer-image-policy-config-as-documented-with-formatting-artefacts.json");
        List<String> errors = errors(file.getFileName().toString(), Files.readString(file));
        assertThat(errors).singleElement().asString().startsWith(file.getFileName() + ":1: invalid JSON:")
                .contains("Markdown escape of *");
    }

    @Test
    void theDocumentedDomainNamesSayTheyAreFormattingArtefacts() {
        String text = """
                imagePolicyConfig:
                  allowedRegistriesForImport:
                  - domainName: docker.io
                  - domainName: \\*.docker.io
                  - domainName: '*.redhat.com'
                  - domainName: '*my.registry.example.com*'
                """;
        List<String> errors = errors("master-config.yaml", text);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("master-config.yaml:4: imagePolicyConfig.allowedRegistriesForImport[1].domainName:")
                .contains("Markdown escape").contains("write *.docker.io");
        assertThat(errors.get(1)).startsWith("master-config.yaml:6: imagePolicyConfig.allowedRegistriesForImport[3].domainName:")
                .contains("bold formatting, not wildcards").contains("write my.registry.example.com");
    }

    @Test
    void importEntriesRefuseGlobsUpstreamWouldTakeAndPaths() {
        String text = """
                imagePolicyConfig:
                  allowedRegistriesForImport:
                  - domainName: 'registry?.example.com'
                  - domainName: quay.io/org
                  - domainName: '*'
                  - {domainName: quay.io, insecur: true}
                """;
        String all = String.join("\n", errors("m.yaml", text));
        assertThat(all).contains("m.yaml:3: imagePolicyConfig.allowedRegistriesForImport[0].domainName: domainName \"registry?.example.com\": '?' wildcards")
                .contains("m.yaml:4: imagePolicyConfig.allowedRegistriesForImport[1].domainName: domainName \"quay.io/org\" has a path")
                .contains("m.yaml:5: imagePolicyConfig.allowedRegistriesForImport[2].domainName:")
                .contains("m.yaml:6: imagePolicyConfig.allowedRegistriesForImport[3].insecur: unknown field \"insecur\"; did you mean insecure?");
    }

    @Test
    void malformedTomlNamesFileAndLine() {
        String text = """
                unqualified-search-registries = ["docker.io"]

                [[registry]]
                location = "quay.io
                blocked = true
                """;
        assertThat(errors("registries.conf", text)).singleElement().asString().startsWith("registries.conf:4: invalid TOML:");
    }

    @Test
    void tomlProblemsNameTheExactLineOfListElementsDottedKeysAndNestedTables() {
        String text = """
                unqualified-search-registries = [
                  "registry.access.redhat.com",
                  # a comment, and a multi-line list
                  "https://quay.io",
                ]

                [[registry]]
                prefix = "example.com/foo"
                location = "internal-registry-for-example.com/bar"

                [[registry.mirror]]
                location = "example-mirror-0.local/mirror-for-foo"

                [[registry]]
                location = "registry.untrusted.example.com"
                blocked = true
                insecur = true
                """;
        List<String> errors = errors("registries.conf", text);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("registries.conf:4: unqualified-search-registries[1]:");
        assertThat(errors.get(1)).startsWith("registries.conf:17: registry[1].insecur: unknown field \"insecur\"; did you mean insecure?");

        String v1 = """
                # v1, written with dotted keys instead of tables
                registries.search.registries = ["docker.io"]
                registries.block.registries = [
                  "ok.example.com",
                  "*bad*",
                ]
                """;
        assertThat(errors("registries.conf", v1)).singleElement().asString()
                .startsWith("registries.conf:5: registries.block.registries[1]: registry \"*bad*\": the asterisks around bad");

        String strings = """
                [[registry]]
                location = "quay.io"
                mirror = [
                  { location = "m1.example.com" },
                  { location = "m2.example.com", insecure = true },
                ]

                [[registry]]
                location = '''registry.untrusted.example.com'''
                prefix = \"""
                registry.untrusted.example.com/\\
                  team\"""
                blocked = "maybe"
                """;
        assertThat(errors("registries.conf", strings)).singleElement().asString().startsWith("registries.conf:13: registry[1].blocked:");
    }

    @Test
    void malformedTomlNamesTheLineOfADuplicateKeyAndWhereAnUnclosedListOpened() {
        String duplicate = """
                [[registry]]
                location = "quay.io"
                blocked = true

                [[registry]]
                location = "registry.untrusted.example.com"
                blocked = true
                blocked = false
                """;
        assertThat(errors("registries.conf", duplicate)).singleElement().asString()
                .isEqualTo("registries.conf:8: invalid TOML: duplicate key \"blocked\" (first set at line 7); set each key once");
        String atEnd = """
                short-name-mode = "enforcing"
                unqualified-search-registries = ["registry.access.redhat.com",
                  "quay.io"
                """;
        assertThat(errors("registries.conf", atEnd)).singleElement().asString()
                .isEqualTo("registries.conf:2: invalid TOML: the list that starts here is never closed");
        String unterminated = """
                [[registry]]
                location = "quay.io"

                [[registry]]
                location = "registry.untrusted.example.com
                blocked = true
                """;
        assertThat(errors("registries.conf", unterminated)).singleElement().asString().startsWith("registries.conf:5: invalid TOML:");
    }

    @Test
    void unknownTomlKeysAreErrorsWithTheirLine() {
        String text = """
                [[registry]]
                location = "quay.io"
                insecure = true

                [[registry]]
                location = "registry.untrusted.example.com"
                block = true
                """;
        assertThat(errors("registries.conf", text)).singleElement().asString()
                .startsWith("registries.conf:7: registry[1].block: unknown field \"block\"");
    }

    @Test
    void unknownFieldsOfTheClusterImageConfigurationAreErrorsWithTheirLine() {
        String text = """
                apiVersion: config.openshift.io/v1
                kind: Image
                metadata:
                  name: cluster
                spec:
                  registrySources:
                    blockedRegistries: [untrusted.com]
                    alowedRegistries: [quay.io]
                """;
        assertThat(errors("image.yaml", text)).singleElement().asString()
                .startsWith("image.yaml:8: spec.registrySources.alowedRegistries: unknown field \"alowedRegistries\"; did you mean allowedRegistries?");
    }

    @Test
    void bothAllowedAndBlockedRegistriesAreRefusedAsTheClusterDoes() {
        String text = """
                apiVersion: config.openshift.io/v1
                kind: Image
                metadata:
                  name: cluster
                spec:
                  registrySources:
                    allowedRegistries: [quay.io]
                    blockedRegistries: [untrusted.com]
                """;
        assertThat(errors("image.yaml", text)).singleElement().asString()
                .startsWith("image.yaml:8: spec.registrySources.blockedRegistries: set either allowedRegistries (line 7) or blockedRegistries");
    }

    @Test
    void anImageConfigurationNotNamedClusterIsRefused() {
        String text = """
                apiVersion: config.openshift.io/v1
                kind: Image
                metadata:
                  name: mine
                spec: {}
                """;
        assertThat(errors("image.yaml", text)).singleElement().asString()
                .startsWith("image.yaml:4: metadata.name: the cluster only reads the image configuration named cluster");
    }

    @Test
    void mixingV1AndV2RegistriesConfIsRefused() {
        String text = """
                [registries.block]
                registries = ['quay.io']

                [[registry]]
                location = "docker.io"
                """;
        assertThat(errors("registries.conf", text).stream().collect(Collectors.joining("\n")))
                .contains("registries.conf:4: registry[0]: this file mixes the v1 [registries.*] tables with [[registry]] tables");
    }
}
