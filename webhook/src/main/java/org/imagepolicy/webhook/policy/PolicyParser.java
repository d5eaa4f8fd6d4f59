package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The entry point from text to a validated {@link ImagePolicy}. Pure: callers read the files and pass
 * their names and contents, so the command line, the server's reloader and tests share one path.
 */
public final class PolicyParser {
    private final boolean strict;

    public PolicyParser(boolean strict) {
        this.strict = strict;
    }

    /** One file's name and text. */
    public record Source(String name, String text) {
    }

    /** A usable policy, with the warnings found on the way. */
    public record Parsed(ImagePolicy policy, List<PolicyProblem> warnings) {
    }

    /** Parses and merges the given files, in order; throws with every problem if any is an error. */
    public Parsed parse(List<Source> sources) throws PolicyException {
        Problems problems = new Problems(strict);
        List<PolicyFragment> fragments = new ArrayList<>();
        PolicyReader reader = new PolicyReader(problems);
        for (Source source : sources) {
            try {
                PolicyFragment fragment = reader.read(PolicyDocument.parse(source.name(), source.text()));
                if (fragment != null) {
                    fragments.add(fragment);
                }
            } catch (PolicyException e) {
                problems.addAll(e.problems());
            }
        }
        ImagePolicy policy = new PolicyAssembler(problems).assemble(fragments);
        if (problems.hasErrors()) {
            throw new PolicyException(problems.all());
        }
        return new Parsed(policy, problems.all());
    }

    public Parsed parse(String name, String text) throws PolicyException {
        return parse(List.of(new Source(name, text)));
    }
}
