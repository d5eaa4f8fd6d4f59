package org.imagepolicy.webhook.report;

/** Input that could not be read (a file that does not parse, a document that is not an object), with where. */
public record InputProblem(Location location, String message) {
}
