package org.imagepolicy.webhook.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be used, with every problem found (errors and the warnings seen on the way). */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<PolicyProblem> problems;

    public PolicyException(List<PolicyProblem> problems) {
        super(problems.stream().filter(PolicyProblem::isError).map(PolicyProblem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
