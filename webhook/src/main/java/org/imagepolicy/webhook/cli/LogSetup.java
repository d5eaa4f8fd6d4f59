package org.imagepolicy.webhook.cli;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per record on stderr, timestamped in UTC: text for people (with the stack trace only when there is
 * one), or with {@code serve --log-format json} one JSON object per line for log shippers.
 */
final class LogSetup {
    private LogSetup() {
    }

    static void configure() {
        // Must precede the first logger: JUL's default manager drops its handlers when shutdown begins,
        // which would silence what the SIGTERM hook logs while it drains.
        System.setProperty("java.util.logging.manager", KeepHandlersAtShutdown.class.getName());
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new LineFormatter());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
    }

    /** The formats {@code serve --log-format} takes. */
    enum Format {
        text, json
    }

    /** Switches the console handler {@link #configure()} installed to the given format; a no-op when embedded without it. */
    static void use(Format format) {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (h instanceof ConsoleHandler) {
                h.setFormatter(formatter(format));
            }
        }
    }

    static Formatter formatter(Format format) {
        return format == Format.json ? new JsonLineFormatter() : new LineFormatter();
    }

    /** A LogManager that keeps logging through JVM shutdown; handlers are flushed when the process ends. */
    public static final class KeepHandlersAtShutdown extends java.util.logging.LogManager {
        @Override
        public void reset() {
            // Ignored: the JVM's own shutdown hook calls it before ours have finished logging.
        }
    }

    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160);
            sb.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(r.getLevel().getName()).append(' ');
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            sb.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ").append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                sb.append(w);
            }
            return sb.toString();
        }
    }
}
