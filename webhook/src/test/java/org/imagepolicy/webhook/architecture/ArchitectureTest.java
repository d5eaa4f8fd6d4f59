package org.imagepolicy.webhook.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine (image references, policy, decision) stays pure: no network, no files, no clocks, no
 * Vert.x, and no knowledge of the server, the loaders or the command line that sit around it.
 */
@AnalyzeClasses(packages = "org.imagepolicy.webhook", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] ENGINE = {"..webhook.image..", "..webhook.policy..", "..webhook.admission.."};

    @ArchTest
    static final ArchRule engineDoesNoIo = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "java.net..", "java.nio.file..",
                    "java.nio.channels..", "java.sql..", "java.net.http..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
            .because("the engine decides from what it is given; I/O belongs to the server, the loaders and the command line");

    @ArchTest
    static final ArchRule engineReadsNoClock = noClasses().that().resideInAnyPackage(ENGINE)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(java.time.Instant.class, "now")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
            .because("a decision depends only on the request, the policy and the facts handed in");

    @ArchTest
    static final ArchRule engineDoesNotReachOutwards = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("..webhook.server..", "..webhook.cli..", "..webhook.load..",
                    "..webhook.metrics..", "..webhook.registry..", "picocli..", "org.imagepolicy.certs..");

    @ArchTest
    static final ArchRule onlyTheServerAndRegistryClientUseVertx = noClasses()
            .that().resideOutsideOfPackages("..webhook.server..", "..webhook.registry", "..webhook.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..")
            .because("the event loop belongs to the HTTP server and the non-blocking registry client (which review also runs)");

    @ArchTest
    static final ArchRule onlyTheClusterPackageTalksToTheApiServer = noClasses()
            .that().resideOutsideOfPackages("..webhook.cluster..", "..webhook.install..", "..webhook.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..")
            .because("the API server is read by informers in one place, never on the admission path; the chart's hook"
                    + " Jobs (install) write to it outside the server");

    @ArchTest
    static final ArchRule credentialsStayPure = noClasses().that().resideInAPackage("..webhook.registry.credentials..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "java.net..")
            .because("credential matching is pure; sources that watch the cluster will feed it");
}
