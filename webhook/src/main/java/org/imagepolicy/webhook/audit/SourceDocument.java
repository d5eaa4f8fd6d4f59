package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.imagepolicy.webhook.report.Location;

/** One document of an input file, its tree and where its nodes came from. */
record SourceDocument(JsonNode node, Positions positions, Location location) {
}
