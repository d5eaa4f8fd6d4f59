package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a policy is read, so one pass reports all of them rather than the first. */
final class Problems {
    private final List<PolicyProblem> all = new ArrayList<>();
    private final boolean strict;

    Problems(boolean strict) {
        this.strict = strict;
    }

    void error(Located at, String message) {
        all.add(new PolicyProblem(at.source(), at.line(), at.path, message, PolicyProblem.Severity.ERROR));
    }

    void error(String source, int line, String path, String message) {
        all.add(new PolicyProblem(source, line, path, message, PolicyProblem.Severity.ERROR));
    }

    /** OpenShift ignores what it does not know; {@code --strict} turns that into an error. */
    void unknown(Located at, String message) {
        all.add(new PolicyProblem(at.source(), at.line(), at.path, message,
                strict ? PolicyProblem.Severity.ERROR : PolicyProblem.Severity.WARNING));
    }

    void warning(Located at, String message) {
        all.add(new PolicyProblem(at.source(), at.line(), at.path, message, PolicyProblem.Severity.WARNING));
    }

    void warning(String source, int line, String path, String message) {
        all.add(new PolicyProblem(source, line, path, message, PolicyProblem.Severity.WARNING));
    }

    void addAll(List<PolicyProblem> problems) {
        all.addAll(problems);
    }

    boolean hasErrors() {
        return all.stream().anyMatch(PolicyProblem::isError);
    }

    /** In file order, then line order, as a reader walks through the files. */
    List<PolicyProblem> all() {
        List<String> sources = all.stream().map(PolicyProblem::source).distinct().toList();
        return all.stream()
                .sorted(java.util.Comparator.<PolicyProblem>comparingInt(p -> sources.indexOf(p.source())).thenComparingInt(PolicyProblem::line))
                .toList();
    }
}
