package org.imagepolicy.webhook.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;

/**
 * The policy being enforced. A reload reads and validates the files (callers run it off the event
 * loop) and swaps the engine in one atomic step; an invalid edit leaves the last good engine serving.
 */
public final class PolicyState {
    private static final Logger LOG = Logger.getLogger(PolicyState.class.getName());

    private final ServerSettings settings;
    private final Metrics metrics;
    private final AtomicReference<ImagePolicyEngine> engine = new AtomicReference<>();
    private final java.util.function.Supplier<List<HostPattern>> discovered;
    private volatile List<PolicyParser.Source> lastSeen;
    private volatile List<HostPattern> lastDiscovered = List.of();
    private volatile java.util.function.Consumer<ImagePolicy> installed = p -> { };

    public PolicyState(ServerSettings settings, Metrics metrics) {
        this(settings, metrics, List::of);
    }

    /** @param discovered integrated registry hostnames learnt from the cluster; a change rebuilds the engine at the next poll */
    public PolicyState(ServerSettings settings, Metrics metrics, java.util.function.Supplier<List<HostPattern>> discovered) {
        this.settings = settings;
        this.metrics = metrics;
        this.discovered = discovered;
    }

    public ImagePolicyEngine engine() {
        return engine.get();
    }

    /**
     * Hands the policy to {@code callback} now and each policy a reload installs, on the reloading thread, right
     * after the new engine went live: for what the policy configures outside the engine (insecure registries).
     */
    public synchronized void onInstall(java.util.function.Consumer<ImagePolicy> callback) {
        installed = callback;
        ImagePolicyEngine current = engine.get();
        if (current != null) {
            callback.accept(current.policy());
        }
    }

    /** First load: an invalid policy here is fatal, so the caller can exit 2. */
    public synchronized void load() throws PolicyException {
        List<PolicyParser.Source> sources = PolicyFiles.read(settings.policyPaths());
        install(sources, new PolicyParser(settings.strict()).parse(sources));
    }

    /**
     * Called periodically on a worker thread; returns true when a new policy went live. Synchronized, as is every
     * install: the engine and what {@link #onInstall} configures from it (insecure registries) change together, so
     * two reloads never leave one's engine live with the other's insecure registries.
     */
    public synchronized boolean reloadIfChanged() {
        List<PolicyParser.Source> sources;
        try {
            sources = PolicyFiles.read(settings.policyPaths());
        } catch (PolicyException e) {
            return rejected(null, e);
        }
        if (sources.equals(lastSeen)) {
            List<HostPattern> now = discovered.get();
            if (now.equals(lastDiscovered) || engine.get() == null) {
                return false;
            }
            try {
                install(sources, new PolicyParser(settings.strict()).parse(sources));
                LOG.info(() -> "integrated registry hostnames from the cluster are now " + now + "; policy rebuilt");
                return true;
            } catch (PolicyException e) {
                return rejected(sources, e);
            }
        }
        try {
            install(sources, new PolicyParser(settings.strict()).parse(sources));
            LOG.info(() -> "policy reloaded from " + settings.policyPaths() + ": " + engine().policy().executionRules().size()
                    + " execution rules");
            return true;
        } catch (PolicyException e) {
            return rejected(sources, e);
        }
    }

    private boolean rejected(List<PolicyParser.Source> sources, PolicyException e) {
        // Remember the bad snapshot so the same broken edit is reported once, not every poll.
        if (sources == null || !sources.equals(lastSeen)) {
            metrics.policyReload(false, 0);
            LOG.severe(() -> "policy reload rejected, the last good policy keeps serving:\n" + e.getMessage());
        }
        if (sources != null) {
            lastSeen = sources;
        }
        return false;
    }

    private void install(List<PolicyParser.Source> sources, PolicyParser.Parsed parsed) {
        for (PolicyProblem warning : parsed.warnings()) {
            LOG.warning(warning::format);
        }
        List<HostPattern> found = discovered.get();
        List<HostPattern> integrated = new java.util.ArrayList<>(settings.integratedRegistries());
        integrated.addAll(found);
        ImagePolicy policy = parsed.policy().withServerSettings(integrated, settings.exemptNamespaces());
        lastDiscovered = found;
        ImagePolicyEngine current = engine.get();
        if (current != null && !current.policy().insecureRegistries().equals(policy.insecureRegistries())) {
            LOG.info(() -> "the policy's insecure registries are now " + policy.insecureRegistries() + " (were "
                    + current.policy().insecureRegistries() + "); lookups follow from the next request on");
        }
        engine.set(new ImagePolicyEngine(policy));
        installed.accept(policy);
        lastSeen = sources;
        metrics.policyReload(true, policy.executionRules().size());
    }
}
