package org.imagepolicy.webhook.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as operators write them: {@code 500ms}, {@code 2.5s}, {@code 10m}, {@code 1h}, {@code 365d}; ISO-8601 also works. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        Matcher m = SIMPLE.matcher(value.trim());
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            long millis;
            switch (m.group(2)) {
                case "ms":
                    millis = Math.round(n);
                    break;
                case "s":
                    millis = Math.round(n * 1_000);
                    break;
                case "m":
                    millis = Math.round(n * 60_000);
                    break;
                case "h":
                    millis = Math.round(n * 3_600_000);
                    break;
                default:
                    millis = Math.round(n * 86_400_000);
                    break;
            }
            return Duration.ofMillis(millis);
        }
        try {
            return Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw new TypeConversionException("\"" + value + "\" is not a duration; write it like 500ms, 2.5s, 10m, 1h or 30d");
        }
    }
}
