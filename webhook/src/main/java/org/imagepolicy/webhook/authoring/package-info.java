/**
 * Tools for people who write policies: test suites kept beside a policy ({@code test}) and the step-by-step
 * account of one image's decision ({@code explain}). Both run the engine the webhook runs
 * ({@code prepare}, facts, {@code decide}, with {@link org.imagepolicy.webhook.admission.ImagePolicyEngine#explain}
 * recording the judge's steps); nothing here matches images itself.
 */
package org.imagepolicy.webhook.authoring;
