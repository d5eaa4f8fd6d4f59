package org.imagepolicy.webhook.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.ServingCertSpec;
import org.imagepolicy.webhook.registry.testing.LocalRegistry.Variant;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the registry harness against the real registry: each variant starts and authenticates as
 * promised, all four manifest kinds round-trip with the digests the pusher computed, the access log
 * counts exactly, tokens from the token server are accepted, and each fault-proxy mode misbehaves as
 * documented. One registry per variant serves the whole class, so its tests run one at a time: several
 * clear the shared access log or count token requests exactly.
 */
@Execution(ExecutionMode.SAME_THREAD)
class LocalRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(10);

    @TempDir
    static Path workDir;

    private static final Map<Variant, LocalRegistry> REGISTRIES = new EnumMap<>(Variant.class);
    private static PushedImage proxied;

    private static synchronized LocalRegistry registry(Variant variant) {
        return REGISTRIES.computeIfAbsent(variant, v -> LocalRegistry.start(v, workDir));
    }

    @AfterAll
    static void stopRegistries() {
        REGISTRIES.values().forEach(LocalRegistry::close);
        REGISTRIES.clear();
    }

    // ---- starting ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyVariantStartsAndAnswersTheBaseEndpoint(Variant variant) throws Exception {
        LocalRegistry registry = registry(variant);

        HttpResponse<String> ping = send(registry.newHttpClient(), get(registry.base().resolve("/v2/")));

        assertThat(registry.host()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(registry.base().getScheme()).isEqualTo(variant.tls() ? "https" : "http");
        assertThat(ping.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        switch (variant) {
            case PLAIN, TLS, MTLS -> assertThat(ping.statusCode()).isEqualTo(200);
            case BASIC -> {
                assertThat(ping.statusCode()).isEqualTo(401);
                assertThat(ping.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"local-registry\"");
            }
            case TOKEN -> {
                assertThat(ping.statusCode()).isEqualTo(401);
                URI realm = registry.tokenServer().realm();
                assertThat(realm.getPort()).isNotEqualTo(registry.port());
                assertThat(ping.headers().firstValue("WWW-Authenticate"))
                        .hasValue("Bearer realm=\"" + realm + "\",service=\"" + LocalRegistry.TOKEN_SERVICE + "\"");
            }
        }
        if (variant.tls()) {
            assertThat(Files.readString(registry.caCertificate())).isEqualTo(registry.caPem());
            // The certificate names both localhost and 127.0.0.1.
            HttpResponse<String> byName = send(registry.newHttpClient(),
                    get(URI.create("https://localhost:" + registry.port() + "/v2/")));
            assertThat(byName.statusCode()).isEqualTo(ping.statusCode());
        } else {
            assertThatThrownBy(registry::caCertificate).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aMissingBinaryNamesTheDebianPackage() {
        assertThatThrownBy(() -> LocalRegistry.start(Variant.PLAIN, workDir, Path.of("/nonexistent/docker-registry")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install Debian's docker-registry package (`apt-get install docker-registry`)");
    }

    @Test
    void aRegistryThatDiesAtStartupFailsFastWithItsLog() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> LocalRegistry.start(Variant.PLAIN, workDir, Path.of("/bin/false")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start")
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("--- registry log ---");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closeStopsTheRegistryProcess() throws Exception {
        LocalRegistry registry = LocalRegistry.start(Variant.PLAIN, workDir);
        List<ProcessHandle> processes = registry.processes();
        // The wrapper shell, the registry and the shell's stdin watcher.
        assertThat(processes).hasSizeGreaterThanOrEqualTo(2).allMatch(ProcessHandle::isAlive);
        assertThat(processes).anyMatch(p -> p.info().command().orElse("").endsWith("docker-registry"));

        registry.close();

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThatThrownBy(() -> send(Tls.client(null), get(registry.base().resolve("/v2/"))))
                .isInstanceOf(ConnectException.class);
        registry.close(); // twice is harmless
    }

    // ---- pushing and reading back ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Variant.class)
    void allFourManifestKindsRoundTripWithTheirDigests(Variant variant) throws Exception {
        LocalRegistry registry = registry(variant);
        ImagePusher pusher = ImagePusher.to(registry);
        RegistryHttp http = RegistryHttp.authenticated(registry);

        PushedImage oci = pusher.ociImage("selftest/oci").tag("v1").label("approved", "yes")
                .annotation("org.opencontainers.image.source", "https://example.com/oci").push();
        PushedImage docker = pusher.dockerImage("selftest/docker").tag("v1").label("approved", "no").push();
        PushedImage index = pusher.ociIndex("selftest/index").tag("multi").label("team", "a")
                .platformLabel("linux/arm64", "arch", "arm").annotation("index-note", "hello").push();
        PushedImage list = pusher.dockerManifestList("selftest/list").tag("multi").push();

        assertThat(List.of(oci, docker, index, list)).extracting(PushedImage::mediaType).containsExactly(
                TestMediaTypes.OCI_MANIFEST, TestMediaTypes.DOCKER_MANIFEST, TestMediaTypes.OCI_INDEX, TestMediaTypes.DOCKER_MANIFEST_LIST);
        for (PushedImage image : List.of(oci, docker, index, list)) {
            HttpResponse<byte[]> head = http.headManifest(image.repository(), image.tag());
            assertThat(head.statusCode()).as("HEAD %s", image).isEqualTo(200);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).as("digest of %s", image).hasValue(image.digest());
            assertThat(head.headers().firstValue("Content-Type")).hasValue(image.mediaType());
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(image.manifestBytes().length);

            HttpResponse<byte[]> byDigest = http.getManifest(image.repository(), image.digest());
            assertThat(byDigest.statusCode()).isEqualTo(200);
            assertThat(byDigest.body()).isEqualTo(image.manifestBytes());
        }

        JsonNode ociManifest = JSON.readTree(oci.manifestBytes());
        assertThat(ociManifest.at("/annotations/org.opencontainers.image.source").asText()).isEqualTo("https://example.com/oci");
        assertThat(ociManifest.at("/config/mediaType").asText()).isEqualTo(TestMediaTypes.OCI_CONFIG);
        JsonNode ociConfig = JSON.readTree(http.getBlob(oci.repository(), oci.configDigest()).body());
        assertThat(ociConfig.at("/config/Labels/approved").asText()).isEqualTo("yes");
        assertThat(ociConfig.at("/rootfs/type").asText()).isEqualTo("layers");
        assertThat(ociConfig.at("/rootfs/diff_ids/0").asText()).startsWith("sha256:");

        JsonNode dockerManifest = JSON.readTree(docker.manifestBytes());
        assertThat(dockerManifest.at("/config/mediaType").asText()).isEqualTo(TestMediaTypes.DOCKER_CONFIG);
        assertThat(dockerManifest.at("/layers/0/mediaType").asText()).isEqualTo(TestMediaTypes.DOCKER_LAYER);

        for (PushedImage multi : List.of(index, list)) {
            assertThat(multi.platformDigests()).containsOnlyKeys("linux/amd64", "linux/arm64");
            JsonNode entries = JSON.readTree(multi.manifestBytes()).get("manifests");
            assertThat(entries).hasSize(2);
            assertThat(entries.get(1).at("/platform/architecture").asText()).isEqualTo("arm64");
            assertThat(entries.get(1).get("digest").asText()).isEqualTo(multi.platformDigests().get("linux/arm64"));
        }
        assertThat(JSON.readTree(index.manifestBytes()).at("/annotations/index-note").asText()).isEqualTo("hello");

        // The arm64 child of the index is a real image with its own labels.
        HttpResponse<byte[]> arm = http.getManifest("selftest/index", index.platformDigests().get("linux/arm64"));
        assertThat(arm.headers().firstValue("Content-Type")).hasValue(TestMediaTypes.OCI_MANIFEST);
        String armConfigDigest = JSON.readTree(arm.body()).at("/config/digest").asText();
        JsonNode armConfig = JSON.readTree(http.getBlob("selftest/index", armConfigDigest).body());
        assertThat(armConfig.get("architecture").asText()).isEqualTo("arm64");
        assertThat(armConfig.at("/config/Labels").toString()).isEqualTo("{\"team\":\"a\",\"arch\":\"arm\"}");
    }

    @Test
    void retagAndDeleteWork() {
        LocalRegistry registry = registry(Variant.PLAIN);
        ImagePusher pusher = ImagePusher.to(registry);
        RegistryHttp http = RegistryHttp.authenticated(registry);
        PushedImage image = pusher.ociImage("selftest/retag").tag("one").push();

        PushedImage two = pusher.retag(image, "two");
        assertThat(http.headManifest("selftest/retag", "two").headers().firstValue("Docker-Content-Digest"))
                .hasValue(image.digest());
        assertThat(two.tagReference(registry.host())).isEqualTo(registry.host() + "/selftest/retag:two");

        pusher.delete(image);
        assertThat(http.headManifest("selftest/retag", "one").statusCode()).isEqualTo(404);
        assertThat(http.headManifest("selftest/retag", image.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutOciInAcceptTheRegistryHidesOciManifests() throws Exception {
        // Not the harness's doing but worth pinning: clients must send the OCI types in Accept.
        LocalRegistry registry = registry(Variant.PLAIN);
        PushedImage oci = ImagePusher.to(registry).ociImage("selftest/accept").tag("v1").push();
        PushedImage docker = ImagePusher.to(registry).dockerImage("selftest/accept").tag("docker").push();
        HttpClient client = registry.newHttpClient();
        URI base = registry.base();

        HttpResponse<String> ociPlain = send(client, get(base.resolve("/v2/selftest/accept/manifests/v1")));
        assertThat(ociPlain.statusCode()).isEqualTo(404);
        assertThat(ociPlain.body()).contains("OCI manifest found, but accept header does not support OCI manifests");
        HttpResponse<String> dockerOnly = send(client, get(base.resolve("/v2/selftest/accept/manifests/docker"))
                .header("Accept", TestMediaTypes.DOCKER_MANIFEST));
        assertThat(dockerOnly.headers().firstValue("Docker-Content-Digest")).hasValue(docker.digest());
        assertThat(send(client, head(base.resolve("/v2/selftest/accept/manifests/v1"))).headers()
                .firstValue("Docker-Content-Digest")).hasValue(oci.digest());
    }

    // ---- access log --------------------------------------------------------------------------------

    @Test
    void theAccessLogSeesExactlyTheRequestsMade() {
        LocalRegistry registry = registry(Variant.PLAIN);
        PushedImage image = ImagePusher.to(registry).ociImage("selftest/counted").tag("v1").push();
        RegistryHttp http = RegistryHttp.authenticated(registry);

        registry.clearLog();
        assertThat(registry.requests()).isEmpty();

        http.headManifest("selftest/counted", "v1");
        http.headManifest("selftest/counted", "v1");
        http.getBlob("selftest/counted", image.configDigest());
        http.headManifest("selftest/counted", "missing");

        assertThat(registry.requests()).containsExactly(
                new LoggedRequest("HEAD", "/v2/selftest/counted/manifests/v1", 200),
                new LoggedRequest("HEAD", "/v2/selftest/counted/manifests/v1", 200),
                new LoggedRequest("GET", "/v2/selftest/counted/blobs/" + image.configDigest(), 200),
                new LoggedRequest("HEAD", "/v2/selftest/counted/manifests/missing", 404));
        assertThat(registry.count("HEAD", "/v2/selftest/counted/manifests/.*")).isEqualTo(3);
        assertThat(registry.count("GET", "/v2/.*/manifests/.*")).isZero();

        registry.clearLog();
        assertThat(registry.requests()).isEmpty();
    }

    @Test
    void accessLogLinesAreParsedWhateverTheProtocol() {
        assertThat(AccessLog.parse("127.0.0.1 - - [22/Nov/2026:23:54:29 +0000] \"HEAD /v2/a/b/manifests/v1?x=1 HTTP/2.0\" "
                + "200 0 \"\" \"agent \\\"quoted\\\"\"")).hasValueSatisfying(entry -> {
                    assertThat(entry.request()).isEqualTo(new LoggedRequest("HEAD", "/v2/a/b/manifests/v1", 200));
                    assertThat(entry.userAgent()).isEqualTo("agent \\\"quoted\\\"");
                });
        assertThat(AccessLog.parse("time=\"2026-11-22T23:54:28Z\" level=info msg=\"listening on 127.0.0.1:5000\""))
                .isEmpty();
    }

    @Test
    void theAccessLogShowsChallengesAndQueriesAreLeftOut() {
        LocalRegistry registry = registry(Variant.TOKEN);
        PushedImage image = ImagePusher.to(registry).dockerImage("selftest/challenged").tag("v1").push();
        RegistryHttp fresh = RegistryHttp.authenticated(registry);

        registry.clearLog();
        fresh.headManifest(image.repository(), "v1");
        fresh.send(fresh.request("GET", "/v2/_catalog?n=1", null));

        assertThat(registry.requests()).startsWith(
                new LoggedRequest("HEAD", "/v2/selftest/challenged/manifests/v1", 401),
                new LoggedRequest("HEAD", "/v2/selftest/challenged/manifests/v1", 200));
        assertThat(registry.requests()).extracting(LoggedRequest::path).contains("/v2/_catalog");
    }

    // ---- authentication ----------------------------------------------------------------------------

    @Test
    void basicAuthAdmitsOnlyTheGeneratedUser() throws Exception {
        LocalRegistry registry = registry(Variant.BASIC);
        HttpClient client = registry.newHttpClient();
        URI ping = registry.base().resolve("/v2/");

        assertThat(send(client, get(ping)).statusCode()).isEqualTo(401);
        assertThat(send(client, get(ping).header("Authorization", basic(registry.username(), "wrong"))).statusCode())
                .isEqualTo(401);
        assertThat(send(client, get(ping).header("Authorization", basic(registry.username(), registry.password())))
                .statusCode()).isEqualTo(200);
        assertThat(Files.readString(registry.storage().resolveSibling("htpasswd")))
                .startsWith(LocalRegistry.USERNAME + ":$2y$04$");
    }

    @Test
    void mutualTlsAdmitsOnlyClientAuthCertificatesFromTheClientCa() throws Exception {
        LocalRegistry registry = registry(Variant.MTLS);
        URI ping = registry.base().resolve("/v2/");
        IssuedCertificate fromClientCa = ClientCertificates.issue(registry.clientAuthority(), "selftest", Duration.ofHours(1));
        IssuedCertificate serverAuthOnly = registry.clientAuthority().issue(
                new ServingCertSpec(List.of("localhost"), List.of(), Duration.ofHours(1)));

        assertThat(send(Tls.client(Tls.presenting(fromClientCa, registry.ca())), get(ping)).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> send(Tls.client(Tls.trusting(registry.ca())), get(ping))).as("no certificate")
                .isInstanceOf(IOException.class);
        Await.until("the registry to log the missing certificate", AWAIT,
                () -> registry.log().contains("client didn't provide a certificate"));
        // Why ClientCertificates exists: the certs module's certificates are for servers only.
        assertThatThrownBy(() -> send(Tls.client(Tls.presenting(serverAuthOnly, registry.ca())), get(ping))).as("serverAuth only")
                .isInstanceOf(IOException.class);
        Await.until("the registry to log the wrong key usage", AWAIT, () -> registry.log().contains("incompatible key usage"));
        assertThat(registry.clientCertificate().issuer()).isEqualTo(registry.clientAuthority().certificate())
                .isNotEqualTo(registry.ca());
        assertThatThrownBy(() -> registry(Variant.TLS).clientAuthority()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tokenAuthWorksWithTokensFromTheTokenServerOnly() throws Exception {
        LocalRegistry registry = registry(Variant.TOKEN);
        TokenServer tokens = registry.tokenServer();
        PushedImage image = ImagePusher.to(registry).ociImage("selftest/token").tag("v1").push();
        HttpClient client = registry.newHttpClient();
        URI manifest = registry.base().resolve("/v2/selftest/token/manifests/v1");
        String scope = "repository:selftest/token:pull";
        URI tokenUrl = URI.create(tokens.realm() + "?service=" + LocalRegistry.TOKEN_SERVICE + "&scope=" + scope);
        tokens.clearRequests();

        // Anonymous: the registry challenges with the exact scope, the token server refuses.
        HttpResponse<String> anonymous = send(client, head(manifest));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"" + tokens.realm()
                + "\",service=\"local-registry\",scope=\"" + scope + "\"");
        assertThat(send(client, get(tokenUrl)).statusCode()).isEqualTo(401);
        assertThat(send(client, get(tokenUrl).header("Authorization", basic(registry.username(), "wrong"))).statusCode())
                .isEqualTo(401);

        // With the user: a token the registry accepts for that repository.
        HttpResponse<String> issued = send(client, get(tokenUrl).header("Authorization",
                basic(registry.username(), registry.password())));
        assertThat(issued.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(issued.body());
        String token = body.get("token").asText();
        assertThat(body.get("access_token").asText()).isEqualTo(token);
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(body.get("issued_at").asText()).isNotBlank();
        assertThat(tokens.tokenRequests()).isEqualTo(3);
        assertThat(tokens.requests()).extracting(TokenServer.TokenRequest::status).containsExactly(401, 401, 200);
        assertThat(tokens.requests().get(2).scopes()).containsExactly(scope);

        String[] parts = token.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asText()).isEqualTo("ES256");
        assertThat(header.get("x5c")).hasSize(1);
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
        assertThat(claims.get("iss").asText()).isEqualTo(LocalRegistry.TOKEN_ISSUER);
        assertThat(claims.get("aud").asText()).isEqualTo(LocalRegistry.TOKEN_SERVICE);
        assertThat(claims.at("/access/0/name").asText()).isEqualTo("selftest/token");

        HttpResponse<String> pulled = send(client, head(manifest).header("Authorization", "Bearer " + token));
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(pulled.headers().firstValue("Docker-Content-Digest")).hasValue(image.digest());

        // A valid token for another repository is not enough.
        String other = tokens.issue("tester", List.of("repository:selftest/other:pull"));
        HttpResponse<String> wrongScope = send(client, head(manifest).header("Authorization", "Bearer " + other));
        assertThat(wrongScope.statusCode()).isEqualTo(401);
        assertThat(wrongScope.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");

        // A pull-only token cannot start an upload.
        HttpResponse<String> push = send(client, HttpRequest.newBuilder(
                registry.base().resolve("/v2/selftest/token/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token));
        assertThat(push.statusCode()).isEqualTo(401);
    }

    @Test
    void anonymousPullCanBeAllowedLikeOnAPublicRegistry() {
        LocalRegistry registry = registry(Variant.TOKEN);
        PushedImage image = ImagePusher.to(registry).ociImage("selftest/public").tag("v1").push();
        RegistryHttp anonymous = RegistryHttp.anonymous(registry);
        try {
            assertThat(anonymous.headManifest(image.repository(), "v1").statusCode()).isEqualTo(401);

            registry.tokenServer().allowAnonymousPull(true);
            assertThat(anonymous.headManifest(image.repository(), "v1").statusCode()).isEqualTo(200);
            assertThat(anonymous.send(anonymous.request("POST", "/v2/selftest/public/blobs/uploads/", null))
                    .statusCode()).isEqualTo(401);
        } finally {
            registry.tokenServer().allowAnonymousPull(false);
        }
    }

    // ---- fault proxy -------------------------------------------------------------------------------

    private static synchronized PushedImage proxiedImage() {
        if (proxied == null) {
            proxied = ImagePusher.to(registry(Variant.PLAIN)).ociImage("selftest/proxied").tag("v1").push();
        }
        return proxied;
    }

    private static URI manifestUri(FaultProxy proxy) {
        return proxy.base().resolve("/v2/selftest/proxied/manifests/v1");
    }

    @Test
    void proxyPassesEverythingThroughAndCounts() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        PushedImage image = proxiedImage();
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            registry.clearLog();
            HttpResponse<String> head = send(Tls.client(null), head(manifestUri(proxy)));

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(image.digest());
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(image.manifestBytes().length);
            assertThat(proxy.count("HEAD", "/v2/.+/manifests/.+")).isEqualTo(1);
            assertThat(registry.count("HEAD", "/v2/.+/manifests/.+")).isEqualTo(1);

            // A whole push through the proxy: bodies, upload Locations (which must point back at the proxy).
            PushedImage viaProxy = ImagePusher.using(RegistryHttp.to(proxy.base(), null, null, null))
                    .dockerManifestList("selftest/via-proxy").tag("v1").push();
            // Two children with a layer and a config each; then two child manifests and the list.
            assertThat(proxy.count("PUT", "/v2/selftest/via-proxy/blobs/uploads/.+")).isEqualTo(4);
            assertThat(proxy.count("PUT", "/v2/selftest/via-proxy/manifests/.+")).isEqualTo(3);
            assertThat(RegistryHttp.authenticated(registry).headManifest("selftest/via-proxy", "v1")
                    .headers().firstValue("Docker-Content-Digest")).hasValue(viaProxy.digest());
        }
    }

    @Test
    void proxyReachesHttpsRegistriesAndRecordsRequestHeaders() throws Exception {
        LocalRegistry registry = registry(Variant.BASIC);
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            String credentials = basic(registry.username(), registry.password());
            HttpResponse<String> ping = send(Tls.client(null), get(proxy.base().resolve("/v2/")).header("Authorization", credentials));

            assertThat(ping.statusCode()).as("plain HTTP to the proxy, HTTPS with the credentials upstream").isEqualTo(200);
            assertThat(proxy.requests()).singleElement().satisfies(r -> assertThat(r.header("authorization")).hasValue(credentials));
        }
    }

    @Test
    void stallAnswersNothingUntilReleased() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        proxiedImage();
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            proxy.mode(FaultProxy.Mode.STALL);
            registry.clearLog();
            CompletableFuture<HttpResponse<String>> pending = Tls.client(null)
                    .sendAsync(head(manifestUri(proxy)).build(), HttpResponse.BodyHandlers.ofString());

            assertThatThrownBy(() -> pending.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            Await.until("the request to be held", AWAIT, () -> proxy.stalled() == 1);
            assertThat(registry.count("HEAD", "/v2/.+/manifests/.+")).isZero();

            proxy.release();
            assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(registry.count("HEAD", "/v2/.+/manifests/.+")).isEqualTo(1);
            assertThat(proxy.stalled()).isZero();
        }
    }

    @Test
    void stalledRequestsAreDroppedWhenTheProxyCloses() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        FaultProxy proxy = FaultProxy.start(registry);
        CompletableFuture<HttpResponse<String>> pending;
        try (proxy) {
            proxy.mode(FaultProxy.Mode.STALL);
            pending = Tls.client(null).sendAsync(get(proxy.base().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Await.until("the request to be held", AWAIT, () -> proxy.stalled() == 1);
        }
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void resetClosesTheConnectionWithoutAnAnswer() {
        LocalRegistry registry = registry(Variant.PLAIN);
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            proxy.mode(FaultProxy.Mode.RESET);
            registry.clearLog();

            assertThatThrownBy(() -> send(Tls.client(null), head(manifestUri(proxy)))).isInstanceOf(IOException.class);
            // The JDK client retries an idempotent request once when a connection closes before any byte.
            assertThat(proxy.count("HEAD", "/v2/.+/manifests/.+")).isBetween(1L, 2L);
            // It does not retry a POST, so here the count is exact.
            assertThatThrownBy(() -> send(Tls.client(null), HttpRequest.newBuilder(
                    proxy.base().resolve("/v2/selftest/proxied/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody())))
                    .isInstanceOf(IOException.class);
            assertThat(proxy.count("POST", "/v2/.+/blobs/uploads/")).isEqualTo(1);
            assertThat(registry.requests()).isEmpty();
        }
    }

    @Test
    void status500And429AreAnsweredByTheProxy() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            HttpClient client = Tls.client(null);
            registry.clearLog();

            proxy.mode(FaultProxy.Mode.STATUS_500);
            HttpResponse<String> failed = send(client, get(manifestUri(proxy)));
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(failed.body()).at("/errors/0/code").asText()).isEqualTo("UNKNOWN");

            proxy.mode(FaultProxy.Mode.STATUS_429);
            proxy.retryAfterSeconds(7);
            HttpResponse<String> limited = send(client, head(manifestUri(proxy)));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");

            assertThat(registry.requests()).isEmpty();
            assertThat(proxy.requests()).extracting(FaultProxy.ProxiedRequest::mode)
                    .containsExactly(FaultProxy.Mode.STATUS_500, FaultProxy.Mode.STATUS_429);
        }
    }

    @Test
    void faultsCanBeLimitedToMatchingPaths() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        proxiedImage();
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            HttpClient client = Tls.client(null);
            proxy.mode(FaultProxy.Mode.STATUS_500, "/v2/.+/manifests/.+");

            assertThat(send(client, get(proxy.base().resolve("/v2/"))).statusCode()).isEqualTo(200);
            assertThat(send(client, head(manifestUri(proxy))).statusCode()).isEqualTo(500);
        }
    }

    @Test
    void tamperFlipsOneByteOfBlobsOnly() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        PushedImage image = proxiedImage();
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            proxy.mode(FaultProxy.Mode.TAMPER_BLOBS);
            HttpClient client = Tls.client(null);

            byte[] blob = client.send(get(proxy.base().resolve("/v2/selftest/proxied/blobs/" + image.configDigest()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            byte[] original = RegistryHttp.authenticated(registry).getBlob("selftest/proxied", image.configDigest()).body();
            assertThat(blob).hasSameSizeAs(original).isNotEqualTo(original);
            int differing = 0;
            for (int i = 0; i < blob.length; i++) {
                differing += blob[i] != original[i] ? 1 : 0;
            }
            assertThat(differing).isEqualTo(1);
            assertThat(ContentDigest.sha256(blob)).isNotEqualTo(image.configDigest());

            byte[] manifest = client.send(get(manifestUri(proxy)).header("Accept", TestMediaTypes.ACCEPT_ANY_MANIFEST).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertThat(manifest).isEqualTo(image.manifestBytes());
        }
    }

    @Test
    void redirectAnswers307() throws Exception {
        LocalRegistry registry = registry(Variant.PLAIN);
        PushedImage image = proxiedImage();
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            HttpClient client = Tls.client(null);
            URI elsewhere = URI.create("http://127.0.0.1:1/somewhere?else=1");
            proxy.redirectTo(elsewhere);
            HttpResponse<String> redirected = send(client, head(manifestUri(proxy)));
            assertThat(redirected.statusCode()).isEqualTo(307);
            assertThat(redirected.headers().firstValue("Location")).hasValue(elsewhere.toString());

            // Blobs handed to "another host" (the registry itself); following the redirect gets the bytes.
            String blobPath = "/v2/selftest/proxied/blobs/" + image.configDigest();
            proxy.redirectToSamePathOn(registry.base(), "/v2/.+/blobs/.+");
            HttpResponse<String> blob = send(client, get(proxy.base().resolve(blobPath)));
            assertThat(blob.statusCode()).isEqualTo(307);
            assertThat(blob.headers().firstValue("Location")).hasValue(registry.base() + blobPath);
            HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            byte[] followed = following.send(get(proxy.base().resolve(blobPath)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertThat(ContentDigest.sha256(followed)).isEqualTo(image.configDigest());
            assertThat(send(client, head(manifestUri(proxy))).statusCode()).isEqualTo(200);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(AWAIT).GET();
    }

    /** HEAD accepting every manifest kind: without the OCI types, 2.8 answers 404 for OCI manifests. */
    private static HttpRequest.Builder head(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(AWAIT).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", TestMediaTypes.ACCEPT_ANY_MANIFEST);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
