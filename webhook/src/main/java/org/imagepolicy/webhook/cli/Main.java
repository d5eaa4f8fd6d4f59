package org.imagepolicy.webhook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar image-policy-webhook.jar <command>}: serve, check-policy, review, audit, diff, test, explain. */
@Command(name = "image-policy-webhook", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Enforces OpenShift ImagePolicy rules as a Kubernetes validating admission webhook.",
        subcommands = {ServeCommand.class, CheckPolicyCommand.class, ReviewCommand.class, AuditCommand.class, DiffCommand.class,
            TestCommand.class, ExplainCommand.class, CertsCommand.class, ProbeCommand.class, UninstallHookCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code for bad input or an invalid policy; 1 is left for unexpected failures. */
    public static final int INVALID = 2;

    public static void main(String[] args) {
        // Netty registers its JFR event types whenever JFR is present: ~100 classes and ~0.15 s of start-up
        // for allocator events that are recorded only on request. Asking for them still works.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        LogSetup.configure();
        System.exit(run(args));
    }

    /** The process's own standard streams: commands compare against them to know whether a terminal may be behind. */
    static final java.io.PrintWriter STDOUT = new java.io.PrintWriter(System.out, true);
    static final java.io.PrintWriter STDERR = new java.io.PrintWriter(System.err, true);

    public static int run(String... args) {
        return run(STDOUT, STDERR, args);
    }

    /** Runs a command with its output captured, for tests and embedding. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return INVALID;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"image-policy-webhook " + org.imagepolicy.webhook.registry.UserAgent.VERSION};
        }
    }
}
