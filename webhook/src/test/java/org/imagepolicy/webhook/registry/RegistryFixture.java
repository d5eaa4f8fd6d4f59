package org.imagepolicy.webhook.registry;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.DockerConfigCredentials;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;

/** Resolvers wired the way {@code serve} wires them, pointed at registries the tests run on loopback. */
final class RegistryFixture {
    private RegistryFixture() {
    }

    static RegistrySettings settings(Set<String> insecure, Path certsD, Set<String> allowed, Duration ttl, Duration maxStale,
            CredentialSource credentials) {
        return new RegistrySettings(insecure, certsD, allowed, "linux/amd64", ttl, Duration.ofSeconds(15), maxStale, 8, credentials);
    }

    /** A resolver that may reach the registry because it is named, as an operator would name it. */
    static RegistryResolver forRegistry(Vertx vertx, LocalRegistry registry, Path dir, RegistryMetrics metrics) throws Exception {
        Path certsD = null;
        CredentialSource credentials = CredentialSource.anonymous();
        if (registry.variant().tls()) {
            certsD = certsD(dir, registry);
        }
        if (registry.variant().authenticated()) {
            credentials = credentials(registry.host(), registry.username(), registry.password());
        }
        Set<String> allowed = registry.variant().tls() ? Set.of() : Set.of(registry.host());
        Set<String> insecure = registry.variant().tls() ? Set.of() : Set.of(registry.host());
        return RegistryResolver.create(vertx, settings(insecure, certsD, allowed, Duration.ofSeconds(60), Duration.ofMinutes(10), credentials),
                metrics, Duration.ofSeconds(5));
    }

    /** certs.d entries for the registry and, for token auth, its token server (same CA), which also names them. */
    static Path certsD(Path dir, LocalRegistry registry) throws Exception {
        Path certsD = Files.createDirectories(dir.resolve("certs.d-" + registry.port()));
        Path own = Files.createDirectories(certsD.resolve(registry.host()));
        Files.writeString(own.resolve("ca.crt"), registry.caPem());
        if (registry.variant() == LocalRegistry.Variant.TOKEN) {
            java.net.URI realm = registry.tokenServer().realm();
            Path token = Files.createDirectories(certsD.resolve(realm.getHost() + ":" + realm.getPort()));
            Files.writeString(token.resolve("ca.crt"), registry.caPem());
        }
        return certsD;
    }

    static CredentialSource credentials(String host, String user, String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return DockerConfigCredentials.parse("pull-secret.json", "{\"auths\": {\"" + host + "\": {\"auth\": \"" + auth + "\"}}}");
    }

    static ImageLookup lookup(String image) {
        ImageReference ref = ImageReference.parse(image);
        return ImageLookup.of(ref, ref.registryKey(), ref.canonicalRepository(null));
    }

    static Resolution resolve(ImageResolver resolver, String image, Duration budget) throws Exception {
        ImageLookup l = lookup(image);
        Map<ImageLookup, Resolution> result = resolver.resolve(List.of(l), System.nanoTime() + budget.toNanos())
                .toCompletionStage().toCompletableFuture().get(budget.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        return result.get(l);
    }
}
