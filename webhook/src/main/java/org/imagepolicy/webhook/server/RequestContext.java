package org.imagepolicy.webhook.server;

import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/**
 * What the webhook knows about a request beyond its body: the rules its namespace opted out of, and the
 * pull credentials its pod would use. Answered from memory on the event loop, never by calling out; the
 * cluster package fills it from informers, and without {@code --cluster} there is nothing to add.
 */
public interface RequestContext {

    /** Rule names the request's namespace exempts itself from (its ignore-rules annotation). */
    Set<String> excludedRules(AdmissionInput in);

    /** The credentials the request's lookups use, or {@code null} for the webhook's global ones. */
    PullCredentials credentials(AdmissionInput in);

    /** Whether the context has what it needs to answer (informers synced); readiness waits for it. */
    boolean ready();

    /** Without a cluster: no exemptions, the global credentials, always ready. */
    RequestContext NONE = new RequestContext() {
        @Override
        public Set<String> excludedRules(AdmissionInput in) {
            return Set.of();
        }

        @Override
        public PullCredentials credentials(AdmissionInput in) {
            return null;
        }

        @Override
        public boolean ready() {
            return true;
        }
    };
}
