/**
 * What the Helm chart's hook Jobs run inside the cluster: the self-signed certificate Secrets and the CA bundles
 * of the webhook configurations ({@link org.imagepolicy.webhook.install.ClusterCertificates}), and the uninstall
 * that can never leave a cluster wedged ({@link org.imagepolicy.webhook.install.Uninstaller}). They talk to the
 * Kubernetes API through fabric8's client; the server never does.
 */
package org.imagepolicy.webhook.install;
