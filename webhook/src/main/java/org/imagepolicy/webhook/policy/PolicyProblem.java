package org.imagepolicy.webhook.policy;

/**
 * One finding about a policy file, located by file, line and field path, worded so the reader knows
 * what to change.
 */
public record PolicyProblem(String source, int line, String path, String message, Severity severity) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code FILE:LINE: [warning: ]path: message}, the form editors and CI logs link to. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(':').append(Math.max(line, 1)).append(": ");
        if (severity == Severity.WARNING) {
            sb.append("warning: ");
        }
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
