package org.imagepolicy.bench;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path of one admission, piece by piece and whole: decode, plan (extraction and name matching),
 * rule evaluation, encode. Registry rules only, as with a warm cache: no I/O anywhere. Run with
 * {@code -prof gc} for allocation per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {
    /** policies/trusted-registries.yaml: the documented registry allow-list, plus a repository deny rule. */
    static final String POLICY = "apiVersion: image.openshift.io/v1\nkind: ImagePolicyConfig\nexecutionRules:\n"
            + "- name: trusted\n  onResources: [{resource: pods}, {resource: builds}]\n"
            + "  matchRegistries: [docker.io, my.registry.example.com, registry.access.redhat.com]\n"
            + "- name: no-experimental\n  reject: true\n  matchRepositories: [\"docker.io/myorg/experimental/**\"]\n";

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Param({"1", "3", "10"})
    int containers;

    byte[] review;
    ImagePolicyEngine engine;
    AdmissionInput input;
    PreparedRequest prepared;
    Decision decision;

    @Setup
    public void setUp() throws Exception {
        engine = new ImagePolicyEngine(new PolicyParser(true).parse("policy.yaml", POLICY).policy());
        review = Reviews.pod(containers);
        input = AdmissionReviewCodec.decode(review);
        prepared = engine.prepare(input, Set.of());
        decision = engine.decide(prepared, ImageFacts.OFFLINE);
        if (!decision.allowed() || !prepared.registryLookups().isEmpty()) {
            throw new IllegalStateException("the benchmark pod must be allowed without lookups: " + decision.message());
        }
    }

    @Benchmark
    public AdmissionInput decode() throws Exception {
        return AdmissionReviewCodec.decode(review);
    }

    /** Baseline: the whole request as a Jackson tree, as decode did before it filtered fields. */
    @Benchmark
    public Object decodeWholeTree() throws Exception {
        return JSON.readTree(review);
    }

    /** Baseline: binding the whole request to fabric8's model classes. */
    @Benchmark
    public Object decodeFabric8() throws Exception {
        return JSON.readValue(review, io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview.class);
    }

    @Benchmark
    public PreparedRequest plan() {
        return engine.prepare(input, Set.of());
    }

    @Benchmark
    public Decision evaluate() {
        return engine.decide(prepared, ImageFacts.OFFLINE);
    }

    @Benchmark
    public byte[] encode() {
        return AdmissionReviewCodec.encode(input.apiVersion(), input.uid(), decision);
    }

    /** What the event loop does per request between reading the body and writing the answer. */
    @Benchmark
    public byte[] fullDecision() throws Exception {
        AdmissionInput in = AdmissionReviewCodec.decode(review);
        PreparedRequest p = engine.prepare(in, Set.of());
        return AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), engine.decide(p, ImageFacts.OFFLINE));
    }

    public static void main(String[] args) throws Exception {
        System.out.println(new String(Reviews.pod(3), StandardCharsets.UTF_8).length() + " bytes for a 3-container pod");
    }
}
