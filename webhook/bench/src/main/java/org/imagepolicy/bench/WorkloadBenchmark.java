package org.imagepolicy.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
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
 * The decision for each kind the harness sends, under a policy whose rule covers them all, so a pod and
 * a workload controller with the same images can be compared: where does a controller's extra cost go?
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WorkloadBenchmark {
    static final String POLICY = "apiVersion: image.openshift.io/v1\nkind: ImagePolicyConfig\nexecutionRules:\n"
            + "- name: trusted\n  onResources: [{resource: pods}, {resource: builds}, {group: apps, resource: deployments},"
            + " {group: batch, resource: cronjobs}]\n"
            + "  matchRegistries: [docker.io, my.registry.example.com, registry.access.redhat.com]\n";

    @Param({"pod-2", "deployment-2", "cronjob-1", "pod-1"})
    String review;

    byte[] body;
    ImagePolicyEngine engine;

    @Setup
    public void setUp() throws Exception {
        engine = new ImagePolicyEngine(new PolicyParser(true).parse("policy.yaml", POLICY).policy());
        body = switch (review) {
            case "pod-2" -> Reviews.pod(2);
            case "pod-1" -> Reviews.pod(1);
            case "deployment-2" -> Reviews.deployment();
            case "cronjob-1" -> Reviews.cronJob();
            default -> throw new IllegalArgumentException(review);
        };
        AdmissionInput in = AdmissionReviewCodec.decode(body);
        PreparedRequest p = engine.prepare(in, Set.of());
        if (!engine.decide(p, ImageFacts.OFFLINE).allowed() || !p.registryLookups().isEmpty()) {
            throw new IllegalStateException(review + " must be allowed without lookups");
        }
    }

    @Benchmark
    public AdmissionInput decode() throws Exception {
        return AdmissionReviewCodec.decode(body);
    }

    @Benchmark
    public byte[] fullDecision() throws Exception {
        AdmissionInput in = AdmissionReviewCodec.decode(body);
        PreparedRequest p = engine.prepare(in, Set.of());
        return AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), engine.decide(p, ImageFacts.OFFLINE));
    }
}
