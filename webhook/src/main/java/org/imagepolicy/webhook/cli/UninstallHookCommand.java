package org.imagepolicy.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.imagepolicy.webhook.install.Uninstaller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The chart's pre-delete hook: scale to zero, then delete the webhook configurations, then the hook-made Secrets. */
@Command(name = "uninstall-hook", mixinStandardHelpOptions = true,
        description = {"Scale the webhook's Deployment to zero, then delete its webhook configurations and the Secrets the",
            "certificate hook created, in that order, so an uninstall never leaves a configuration pointing at nothing."})
final class UninstallHookCommand implements Callable<Integer> {
    @Option(names = "--namespace", required = true, paramLabel = "NAMESPACE", description = "The release namespace.")
    String namespace;

    @Option(names = "--deployment", required = true, paramLabel = "NAME", description = "The webhook's Deployment.")
    String deployment;

    @Option(names = "--validating-webhook-configuration", paramLabel = "NAME", description = "Delete it (repeatable).")
    List<String> validating = new ArrayList<>();

    @Option(names = "--mutating-webhook-configuration", paramLabel = "NAME", description = "Delete it (repeatable).")
    List<String> mutating = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "NAME", description = "Delete this Secret last (repeatable).")
    List<String> secrets = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (KubernetesClient client = HookClients.create()) {
            new Uninstaller(client).run(new Uninstaller.Settings(namespace, deployment, validating, mutating, secrets))
                    .forEach(spec.commandLine().getOut()::println);
            return 0;
        } catch (KubernetesClientException e) {
            spec.commandLine().getErr().println("uninstall-hook: " + e.getMessage());
            return 1;
        }
    }
}
