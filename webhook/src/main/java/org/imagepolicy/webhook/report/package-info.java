/**
 * What an audit or a policy diff found, free of any input or output format: the contract between the
 * front-ends that judge workloads ({@code audit}, {@code diff}) and the writers that render the result
 * (table, JSON, PolicyReport, JUnit, SARIF, HTML). Writers are streamed: {@link ReportWriter#object} is
 * called once per judged object, in input order, so memory can stay bounded by what a writer keeps.
 */
package org.imagepolicy.webhook.report;
