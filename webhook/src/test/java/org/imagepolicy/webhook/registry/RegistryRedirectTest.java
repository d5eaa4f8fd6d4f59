package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.FaultProxy;
import org.imagepolicy.webhook.registry.testing.HttpsRedirector;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.LocalRegistry.Variant;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blob redirects against real servers. The webhook talks to a registry through a {@link FaultProxy}
 * (named as an insecure registry), which hands blob GETs to a chain of {@link HttpsRedirector} hops that
 * ends at a real HTTPS registry's own blob URL, as registries hand blobs to storage. At most three
 * redirects are followed, and the registry's credentials never go to another host.
 */
@Execution(ExecutionMode.SAME_THREAD)
class RegistryRedirectTest {
    static final Duration BUDGET = Duration.ofSeconds(5);
    static final String BLOBS = "/v2/.+/blobs/.+";
    @TempDir
    static Path dir;
    static Vertx vertx;
    /** Where the chains end: an HTTPS registry that serves the blob to anyone, like a pre-signed URL. */
    static LocalRegistry storage;
    static PushedImage image;
    final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        storage = LocalRegistry.start(Variant.TLS, dir);
        image = ImagePusher.to(storage).ociImage("redirect/app").tag("1").label("tier", "gold").push();
    }

    @AfterAll
    static void stop() {
        storage.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void closeServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    <T extends AutoCloseable> T started(T server) {
        servers.add(server);
        return server;
    }

    /** The real blob URL of the image's config on the storage registry. */
    static URI configBlob() {
        return URI.create(storage.base() + "/v2/redirect/app/blobs/" + image.configDigest());
    }

    /**
     * Makes the proxy's blob answers the first of {@code redirects} redirects, all HTTPS, the last to the
     * storage registry's blob URL; the redirectors in between (if any) are returned.
     */
    HttpsRedirector chain(FaultProxy proxy, int redirects) {
        if (redirects == 1) {
            proxy.redirectTo(configBlob(), BLOBS);
            return null;
        }
        HttpsRedirector hops = started(HttpsRedirector.start(storage.issueServingCertificate(), redirects - 1, configBlob()));
        proxy.redirectTo(hops.entry(), BLOBS);
        return hops;
    }

    /**
     * Named the way an operator would: the proxy as an insecure registry, the storage registry and the
     * redirector by certs.d entries with the storage CA (which issued both certificates).
     */
    static RegistryResolver resolver(String name, FaultProxy proxy, HttpsRedirector hops, CredentialSource credentials) throws Exception {
        Path certsD = Files.createDirectories(dir.resolve("certs.d-" + name));
        List<String> https = new ArrayList<>(List.of(storage.host()));
        if (hops != null) {
            https.add(hops.host());
        }
        for (String host : https) {
            Files.writeString(Files.createDirectories(certsD.resolve(host)).resolve("ca.crt"), storage.caPem());
        }
        RegistrySettings settings = RegistryFixture.settings(Set.of(proxy.host()), certsD, Set.of(proxy.host()), Duration.ofSeconds(60),
                Duration.ofMinutes(10), credentials);
        return RegistryResolver.create(vertx, settings, new RegistryMetrics(), Duration.ofSeconds(5));
    }

    static List<String> paths(HttpsRedirector hops) {
        return hops == null ? List.of() : hops.requests().stream().map(HttpsRedirector.Request::path).toList();
    }

    static List<String> hopPaths(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add("/hop/" + i);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} redirect(s)")
    @ValueSource(ints = {1, 2, 3})
    void upToThreeHttpsRedirectsAreFollowedToTheRealBlob(int redirects) throws Exception {
        FaultProxy proxy = started(FaultProxy.start(storage));
        HttpsRedirector hops = chain(proxy, redirects);
        RegistryResolver resolver = resolver("follow-" + redirects, proxy, hops, CredentialSource.anonymous());
        storage.clearLog();

        Resolution r = resolve(resolver, proxy.host() + "/redirect/app:1", BUDGET);

        assertThat(r).as("resolution").isInstanceOf(Resolution.Resolved.class);
        Resolution.Resolved resolved = (Resolution.Resolved) r;
        assertThat(resolved.metadata().digest()).isEqualTo(image.digest());
        assertThat(resolved.metadata().labels()).as("from the config blob at the end of the chain").containsEntry("tier", "gold");
        assertThat(proxy.count("GET", BLOBS)).as("blob requests to the registry, each redirected").isEqualTo(1);
        assertThat(paths(hops)).as("every hop in between visited once, in order").isEqualTo(hopPaths(redirects - 1));
        assertThat(storage.count("GET", "/v2/redirect/app/blobs/" + image.configDigest())).as("the real blob URL reached").isEqualTo(1);
    }

    @Test
    void aFourthRedirectIsRefusedAndNotFollowed() throws Exception {
        FaultProxy proxy = started(FaultProxy.start(storage));
        HttpsRedirector hops = chain(proxy, 4);
        RegistryResolver resolver = resolver("refuse-4", proxy, hops, CredentialSource.anonymous());
        storage.clearLog();

        Resolution r = resolve(resolver, proxy.host() + "/redirect/app:1", BUDGET);

        assertThat(r).isInstanceOf(Resolution.Failed.class);
        assertThat(((Resolution.Failed) r).reason()).isEqualTo(hops.host() + " redirected a blob more than 3 times");
        assertThat(paths(hops)).as("three redirects followed, the fourth not").isEqualTo(hopPaths(3));
        assertThat(storage.count("GET", "/v2/.+/blobs/.+")).as("the blob URL behind the fourth redirect").isZero();
    }

    @Test
    void theRegistrysCredentialsAreNotSentToTheRedirectTarget() throws Exception {
        try (LocalRegistry basic = LocalRegistry.start(Variant.BASIC, dir)) {
            PushedImage same = ImagePusher.to(basic).ociImage("redirect/app").tag("1").label("tier", "gold").push();
            assertThat(same.configDigest()).as("the storage registry holds the same config blob").isEqualTo(image.configDigest());
            FaultProxy proxy = started(FaultProxy.start(basic));
            HttpsRedirector hops = chain(proxy, 2);
            RegistryResolver resolver = resolver("credentials", proxy, hops,
                    RegistryFixture.credentials(proxy.host(), basic.username(), basic.password()));
            storage.clearLog();

            Resolution r = resolve(resolver, proxy.host() + "/redirect/app:1", BUDGET);

            assertThat(r).as("resolution").isInstanceOf(Resolution.Resolved.class);
            assertThat(((Resolution.Resolved) r).metadata().digest()).isEqualTo(same.digest());
            List<FaultProxy.ProxiedRequest> blobRequests = proxy.requests().stream()
                    .filter(p -> p.method().equals("GET") && p.path().matches(BLOBS)).toList();
            assertThat(blobRequests).hasSize(1);
            assertThat(blobRequests.get(0).header("Authorization")).as("the registry itself got the credentials")
                    .hasValueSatisfying(a -> assertThat(a).startsWith("Basic "));
            assertThat(hops.requests()).hasSize(1);
            assertThat(hops.requests().get(0).header("Authorization")).as("the redirect target on another host").isEmpty();
            assertThat(storage.count("GET", "/v2/redirect/app/blobs/" + image.configDigest())).isEqualTo(1);
        }
    }
}
