package org.imagepolicy.webhook.registry.testing;

/**
 * One line of the registry's access log.
 *
 * @param method the HTTP method
 * @param path the request path as sent, without the query string
 * @param status the status the registry answered
 */
public record LoggedRequest(String method, String path, int status) {
}
