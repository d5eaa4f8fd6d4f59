package org.imagepolicy.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading the webhook container's command line back out of a rendering. */
final class Workload {
    private Workload() {
    }

    static Deployment deployment(RenderedChart r) {
        return r.one(Deployment.class, RenderedChart.FULLNAME);
    }

    static Container webhook(RenderedChart r) {
        return deployment(r).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** {@code --flag=value} arguments of serve, by flag (the last one wins). */
    static Map<String, String> serveFlags(RenderedChart r) {
        return webhook(r).getArgs().stream().filter(a -> a.startsWith("--"))
                .collect(Collectors.toMap(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a,
                        a -> a.contains("=") ? a.substring(a.indexOf('=') + 1) : "", (a, b) -> b));
    }

    /** The JVM options between {@code java} and {@code -jar}. */
    static List<String> jvmOptions(Container c) {
        List<String> command = c.getCommand();
        return command.subList(1, command.indexOf("-jar"));
    }

    /** The jar's arguments: the rest of the command after the jar, then args. */
    static List<String> jarArguments(Container c) {
        List<String> command = c.getCommand();
        List<String> args = new java.util.ArrayList<>(command.subList(command.indexOf("-jar") + 2, command.size()));
        args.addAll(c.getArgs());
        return args;
    }
}
