package org.imagepolicy.webhook.cluster.openshift;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The OpenShift resources the image API resolver reads, named in full so no discovery request is needed. */
final class ImageApi {
    static final ResourceDefinitionContext IMAGE_STREAMS = new ResourceDefinitionContext.Builder().withGroup("image.openshift.io")
            .withVersion("v1").withKind("ImageStream").withPlural("imagestreams").withNamespaced(true).build();
    static final ResourceDefinitionContext IMAGES = new ResourceDefinitionContext.Builder().withGroup("image.openshift.io")
            .withVersion("v1").withKind("Image").withPlural("images").withNamespaced(false).build();
    /** The 4.x cluster image configuration ({@code image.config.openshift.io/cluster}). */
    static final ResourceDefinitionContext IMAGE_CONFIG = new ResourceDefinitionContext.Builder().withGroup("config.openshift.io")
            .withVersion("v1").withKind("Image").withPlural("images").withNamespaced(false).build();

    private ImageApi() {
    }
}
