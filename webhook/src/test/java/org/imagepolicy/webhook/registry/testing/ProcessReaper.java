package org.imagepolicy.webhook.registry.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backstop that kills every child process the harness started when the JVM exits, even if a test
 * forgot {@code close()} or died half-way. (If the JVM is killed outright, hooks do not run; the
 * wrapper in {@link LocalRegistry} covers that case by watching its stdin pipe.)
 */
final class ProcessReaper {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(ProcessReaper::killAll, "local-registry-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void unregister(Process process) {
        LIVE.remove(process);
    }

    /** Descendants first: destroying the wrapper shell alone would orphan the registry under init. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void killAll() {
        LIVE.forEach(ProcessReaper::kill);
    }
}
