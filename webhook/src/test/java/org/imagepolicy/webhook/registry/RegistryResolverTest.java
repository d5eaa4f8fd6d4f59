package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.LocalRegistry.Variant;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The resolver against Debian's docker-registry on loopback, in each of its four set-ups. */
@Execution(ExecutionMode.SAME_THREAD)
class RegistryResolverTest {
    static final Duration BUDGET = Duration.ofSeconds(5);
    @TempDir
    static Path dir;
    static Vertx vertx;
    static LocalRegistry plain;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        plain = LocalRegistry.start(Variant.PLAIN, dir);
    }

    @AfterAll
    static void stop() {
        plain.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static Resolution.Resolved resolved(Resolution r) {
        assertThat(r).as("resolution").isInstanceOf(Resolution.Resolved.class);
        return (Resolution.Resolved) r;
    }

    @Test
    void everyRequestNamesTheWebhookAndItsVersionAsUserAgent() throws Exception {
        PushedImage image = ImagePusher.to(plain).ociImage("agent/app").tag("1").label("tier", "gold").push();
        plain.clearLog();
        RegistryResolver resolver = RegistryFixture.forRegistry(vertx, plain, dir, new RegistryMetrics());
        assertThat(resolved(resolve(resolver, plain.host() + "/agent/app:1", BUDGET)).metadata().digest()).isEqualTo(image.digest());
        List<String> agents = plain.userAgents();
        assertThat(agents).as("the manifest by tag and the config").hasSizeGreaterThanOrEqualTo(2);
        // The version comes from the build (version.properties, filtered by Maven): the project's own.
        assertThat(UserAgent.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(agents).allSatisfy(agent -> assertThat(agent).isEqualTo("image-policy-webhook/" + UserAgent.VERSION));
    }

    @Test
    void digestsLabelsAndAnnotationsOfEveryManifestKindMatchTheRegistry() throws Exception {
        ImagePusher push = ImagePusher.to(plain);
        PushedImage oci = push.ociImage("kinds/oci").tag("1").label("tier", "gold").annotation("org.opencontainers.image.source", "git")
                .push();
        PushedImage docker = push.dockerImage("kinds/docker").tag("1").label("tier", "silver").push();
        PushedImage index = push.ociIndex("kinds/index").tag("1").platformLabel("linux/amd64", "arch", "amd")
                .platformLabel("linux/arm64", "arch", "arm").annotation("level", "index").childAnnotation("level", "child")
                .annotation("only-index", "yes").push();
        PushedImage list = push.dockerManifestList("kinds/list").tag("1").label("tier", "bronze").push();
        RegistryResolver resolver = RegistryFixture.forRegistry(vertx, plain, dir, new RegistryMetrics());

        Resolution.Resolved r = resolved(resolve(resolver, plain.host() + "/kinds/oci:1", BUDGET));
        assertThat(r.metadata().digest()).isEqualTo(oci.digest());
        assertThat(r.metadata().labels()).containsEntry("tier", "gold");
        assertThat(r.metadata().annotations()).containsEntry("org.opencontainers.image.source", "git");
        assertThat(r.staleness()).isNull();

        assertThat(resolved(resolve(resolver, plain.host() + "/kinds/docker:1", BUDGET)).metadata())
                .satisfies(m -> assertThat(m.digest()).isEqualTo(docker.digest()))
                .satisfies(m -> assertThat(m.labels()).containsEntry("tier", "silver"));

        Resolution.Resolved idx = resolved(resolve(resolver, plain.host() + "/kinds/index:1", BUDGET));
        assertThat(idx.metadata().digest()).as("an index resolves to the index digest").isEqualTo(index.digest());
        assertThat(idx.metadata().labels()).as("labels from linux/amd64").containsEntry("arch", "amd");
        assertThat(idx.metadata().annotations()).as("the manifest over the index")
                .containsEntry("level", "child").containsEntry("only-index", "yes");

        assertThat(resolved(resolve(resolver, plain.host() + "/kinds/list:1", BUDGET)).metadata().digest()).isEqualTo(list.digest());

        Resolution.Resolved byDigest = resolved(resolve(resolver, plain.host() + "/kinds/oci@" + oci.digest(), BUDGET));
        assertThat(byDigest.metadata().labels()).containsEntry("tier", "gold");
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"TLS", "BASIC", "TOKEN"})
    void reachesRegistriesWithTheirOwnCaBasicAuthAndDelegatedTokens(Variant variant) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(variant, dir)) {
            PushedImage image = ImagePusher.to(registry).ociImage("secure/app").tag("v1").label("tier", "gold").push();
            RegistryResolver resolver = RegistryFixture.forRegistry(vertx, registry, dir, new RegistryMetrics());
            Resolution.Resolved r = resolved(resolve(resolver, registry.host() + "/secure/app:v1", BUDGET));
            assertThat(r.metadata().digest()).isEqualTo(image.digest());
            assertThat(r.metadata().labels()).containsEntry("tier", "gold");
            if (variant == Variant.TOKEN) {
                int tokens = registry.tokenServer().tokenRequests();
                resolved(resolve(resolver, registry.host() + "/secure/app@" + image.digest(), BUDGET));
                assertThat(registry.tokenServer().tokenRequests()).as("the token is reused for the same scope").isEqualTo(tokens);
            }
        }
    }

    @Test
    void wrongCredentialsAndUnknownImagesFailWithTheReasonAndNoSecret() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(Variant.BASIC, dir)) {
            String secret = "not-the-password-Zq81";
            RegistrySettings settings = RegistryFixture.settings(Set.of(), RegistryFixture.certsD(dir, registry), Set.of(),
                    Duration.ofSeconds(60), Duration.ofMinutes(10), RegistryFixture.credentials(registry.host(), registry.username(), secret));
            RegistryResolver resolver = RegistryResolver.create(vertx, settings, new RegistryMetrics(), Duration.ofSeconds(5));
            Resolution r = resolve(resolver, registry.host() + "/secure/app:v1", BUDGET);
            assertThat(r).isInstanceOf(Resolution.Failed.class);
            assertThat(((Resolution.Failed) r).reason()).contains("denied access to secure/app").doesNotContain(secret);
        }
        Resolution missing = resolve(RegistryFixture.forRegistry(vertx, plain, dir, new RegistryMetrics()),
                plain.host() + "/nothing/here:1", BUDGET);
        assertThat(((Resolution.Failed) missing).reason()).startsWith(plain.host() + "/nothing/here:1 was not found in the registry (")
                .as("the registry's own error code, read from the body of the GET").contains("UNKNOWN");
    }

    @Test
    void aKnownTagIsRefreshedWithHeadOnlySoRegistriesCountNoPull() throws Exception {
        PushedImage image = ImagePusher.to(plain).ociImage("refresh/app").tag("1").push();
        RegistryResolver resolver = RegistryResolver.create(vertx, RegistryFixture.settings(Set.of(plain.host()), null, Set.of(plain.host()),
                Duration.ofMillis(300), Duration.ofMinutes(10), CredentialSource.anonymous()), new RegistryMetrics(), Duration.ofSeconds(5));
        plain.clearLog();
        assertThat(resolved(resolve(resolver, plain.host() + "/refresh/app:1", BUDGET)).metadata().digest()).isEqualTo(image.digest());
        org.imagepolicy.webhook.testing.Await.holdsFor("the tag's time to live passing", Duration.ofMillis(400), () -> true);
        assertThat(resolved(resolve(resolver, plain.host() + "/refresh/app:1", BUDGET)).metadata().digest()).isEqualTo(image.digest());
        assertThat(plain.count("GET", "/v2/refresh/app/manifests/.*")).as("one GET: the manifest by tag, the first time").isEqualTo(1);
        assertThat(plain.count("HEAD", "/v2/refresh/app/manifests/1")).as("the refresh").isEqualTo(1);
        assertThat(plain.count("GET", "/v2/refresh/app/blobs/.*")).as("the config, once: digests do not change").isEqualTo(1);
    }

    @Test
    void aTlsRegistryIsAskedOverHttp2AndAPlainOneOverHttp11() throws Exception {
        try (LocalRegistry tls = LocalRegistry.start(Variant.TLS, dir)) {
            List<PushedImage> images = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                images.add(ImagePusher.to(tls).ociImage("h2/app-" + i).tag("1").push());
            }
            tls.clearLog();
            RegistryResolver resolver = RegistryFixture.forRegistry(vertx, tls, dir, new RegistryMetrics());
            List<ImageLookup> lookups = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                lookups.add(RegistryFixture.lookup(tls.host() + "/h2/app-" + i + ":1"));
            }
            Map<ImageLookup, Resolution> answers = resolver.resolve(lookups, System.nanoTime() + BUDGET.toNanos())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                assertThat(resolved(answers.get(lookups.get(i))).metadata().digest()).isEqualTo(images.get(i).digest());
            }
            assertThat(tls.protocols()).as("ten new images at once, over HTTP/2 (offered by ALPN)").hasSize(20).containsOnly("HTTP/2.0");
        }
        PushedImage image = ImagePusher.to(plain).ociImage("h1/app").tag("1").push();
        plain.clearLog();
        RegistryResolver resolver = RegistryFixture.forRegistry(vertx, plain, dir, new RegistryMetrics());
        assertThat(resolved(resolve(resolver, plain.host() + "/h1/app:1", BUDGET)).metadata().digest()).isEqualTo(image.digest());
        assertThat(plain.protocols()).as("plain HTTP: HTTP/1.1, no h2c upgrade").isNotEmpty().containsOnly("HTTP/1.1");
    }

    @Test
    void fiftyConcurrentAdmissionsOfOneUncachedImageMakeOneManifestRequest() throws Exception {
        PushedImage image = ImagePusher.to(plain).ociImage("herd/app").tag("1").push();
        RegistryResolver resolver = RegistryFixture.forRegistry(vertx, plain, dir, new RegistryMetrics());
        plain.clearLog();
        ImageLookup l = RegistryFixture.lookup(plain.host() + "/herd/app:1");
        List<java.util.concurrent.CompletableFuture<Map<ImageLookup, Resolution>>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(resolver.resolve(List.of(l), System.nanoTime() + BUDGET.toNanos()).toCompletionStage().toCompletableFuture());
        }
        for (var f : all) {
            assertThat(resolved(f.get(10, TimeUnit.SECONDS).get(l)).metadata().digest()).isEqualTo(image.digest());
        }
        assertThat(plain.count("GET", "/v2/herd/app/manifests/1")).as("tag lookups at the registry: the manifest by tag").isEqualTo(1);
        assertThat(plain.count("GET", "/v2/herd/app/manifests/.*")).as("manifest fetches: the tag's answer is reused").isEqualTo(1);
        assertThat(plain.count("HEAD", ".*")).as("no HEAD for a tag never seen").isZero();
        assertThat(plain.count("GET", "/v2/herd/app/blobs/.*")).as("config fetches").isEqualTo(1);
    }

    @Test
    void aBurstOfFirstLookupsAtAnInsecureRegistryProbesForTlsOnce() throws Exception {
        ImagePusher pusher = ImagePusher.to(plain);
        PushedImage image = pusher.ociImage("burst/app").tag("0").push();
        List<ImageLookup> lookups = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pusher.retag(image, "t" + i);
            lookups.add(RegistryFixture.lookup(plain.host() + "/burst/app:t" + i));
        }
        Metrics metrics = new Metrics();
        RegistryResolver resolver = RegistryFixture.forRegistry(vertx, plain, dir, metrics.registries());

        Map<ImageLookup, Resolution> results = resolver.resolve(lookups, System.nanoTime() + BUDGET.toNanos())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        for (ImageLookup l : lookups) {
            assertThat(resolved(results.get(l)).metadata().digest()).as(l.toString()).isEqualTo(image.digest());
        }
        // The TLS attempt is the one answer that is not HTTP: one request found out, the rest went straight to HTTP.
        assertThat(metrics.render()).contains("image_policy_registry_responses_total{registry=\"" + plain.host()
                + "\",status=\"error\"} 1\n");
    }
}
