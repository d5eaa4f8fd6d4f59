package org.imagepolicy.bench;

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
 * The decision against policy size: {@code allowRules} allow rules of 10 registries each and a fifth as
 * many repository deny rules ({@link LargePolicy}; 1,000 is the large policy of run.sh), a 3-container pod
 * allowed by the last allow rule. {@code allowRules = 0} is DecisionBenchmark's 2-rule policy, the
 * baseline. Plan and evaluate are the halves that read the rules; run with {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleCountBenchmark {
    @Param({"0", "10", "100", "1000", "10000"})
    int allowRules;

    ImagePolicyEngine engine;
    AdmissionInput input;
    PreparedRequest prepared;

    @Setup
    public void setUp() throws Exception {
        String yaml = allowRules == 0 ? DecisionBenchmark.POLICY : LargePolicy.yaml(allowRules, allowRules / 5);
        engine = new ImagePolicyEngine(new PolicyParser(true).parse("policy.yaml", yaml).policy());
        input = AdmissionReviewCodec.decode(Reviews.pod(3));
        prepared = engine.prepare(input, Set.of());
        Decision decision = engine.decide(prepared, ImageFacts.OFFLINE);
        if (!decision.allowed() || !prepared.registryLookups().isEmpty()) {
            throw new IllegalStateException("the benchmark pod must be allowed without lookups: " + decision.message());
        }
    }

    @Benchmark
    public PreparedRequest plan() {
        return engine.prepare(input, Set.of());
    }

    @Benchmark
    public Decision evaluate() {
        return engine.decide(prepared, ImageFacts.OFFLINE);
    }

    /** Plan and evaluate: everything of the decision that the policy's size could touch. */
    @Benchmark
    public Decision decision() {
        return engine.decide(engine.prepare(input, Set.of()), ImageFacts.OFFLINE);
    }
}
