package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.RegistryName;
import org.imagepolicy.webhook.image.RepositoryPattern;
import org.imagepolicy.webhook.policy.ExecutionRule;

/**
 * Which of a resource's rules could match a reference by its name, so a policy of thousands of registry
 * rules costs a decision what a policy of a few does. Built once per policy load.
 *
 * <p>A rule is left out only where leaving it out provably changes nothing: it is not inverted (a failed
 * condition of an inverted rule is a match), not an integrated-registry rule (a lookup can make an image
 * integrated), and it has registry or repository conditions, none of whose hosts can be the reference's
 * host, or, for repository conditions, none of whose first path components can be the reference's. The
 * rules kept are returned in their original order, and each is still judged in full.
 *
 * <p>Candidates are precomputed per indexed host (exact hosts, and the domains of {@code *.domain}
 * wildcards, each merged with every wildcard that also covers it) and per first repository component
 * below it, so a lookup allocates nothing: it hashes regions of the reference's strings.
 */
final class CandidateRules {
    private final int[] all;
    private final int[] always;
    private final int[] readingResolution;
    private final RegionMap<Node> exact;
    private final RegionMap<Node> wildcard;
    private final boolean indexed;

    /** The precomputed candidates for a reference whose host this node is, by its first path component. */
    private record Node(int[] anyPath, RegionMap<int[]> byComponent) {
    }

    /** The rules a host's patterns name, while building: host-level rules, and repository rules by first component. */
    private static final class Bucket {
        final BitSet anyPath = new BitSet();
        final Map<String, BitSet> byComponent = new HashMap<>();
    }

    private CandidateRules(int[] all, int[] always, int[] readingResolution, RegionMap<Node> exact, RegionMap<Node> wildcard,
            boolean indexed) {
        this.all = all;
        this.always = always;
        this.readingResolution = readingResolution;
        this.exact = exact;
        this.wildcard = wildcard;
        this.indexed = indexed;
    }

    /** Every rule, in order: the plain scan, which the index must agree with (tests compare them). */
    static CandidateRules scan(List<ExecutionRule> rules) {
        int[] all = range(rules.size());
        return new CandidateRules(all, all, all, RegionMap.of(Map.of()), RegionMap.of(Map.of()), false);
    }

    static CandidateRules index(List<ExecutionRule> rules) {
        BitSet always = new BitSet();
        BitSet readingResolution = new BitSet();
        Map<String, Bucket> exactHosts = new HashMap<>();
        Map<String, Bucket> wildcardDomains = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            ExecutionRule rule = rules.get(i);
            if (rule.needsMetadata() || rule.skipOnResolutionFailure()) {
                readingResolution.set(i);
            }
            if (rule.invertMatch() || rule.matchIntegratedRegistry()
                    || (rule.matchRegistries().isEmpty() && rule.matchRepositories().isEmpty())) {
                always.set(i);
            } else if (!rule.matchRegistries().isEmpty()) {
                // Both conditions must hold, so the registries alone bound the rule.
                for (HostPattern h : rule.matchRegistries()) {
                    bucket(h, exactHosts, wildcardDomains).anyPath.set(i);
                }
            } else {
                for (RepositoryPattern r : rule.matchRepositories()) {
                    Bucket b = bucket(r.host(), exactHosts, wildcardDomains);
                    String first = r.components().isEmpty() ? "*" : r.components().get(0);
                    if (first.equals("*")) {
                        b.anyPath.set(i);
                    } else {
                        b.byComponent.computeIfAbsent(first, k -> new BitSet()).set(i);
                    }
                }
            }
        }
        // Docker Hub has several names a wildcard may cover: give it a node, so wildcards covering it are found.
        for (String domain : wildcardDomains.keySet()) {
            if (wildcardCovers(domain, ImageReference.DOCKER_HUB)) {
                exactHosts.computeIfAbsent(ImageReference.DOCKER_HUB, k -> new Bucket());
            }
        }
        Map<String, Node> exactNodes = new HashMap<>();
        for (Map.Entry<String, Bucket> e : exactHosts.entrySet()) {
            String host = e.getKey();
            List<Bucket> covering = new ArrayList<>();
            covering.add(e.getValue());
            if (host.equals(ImageReference.DOCKER_HUB)) {
                // Covered through any of its names: ask every wildcard (once per policy, for one host).
                for (Map.Entry<String, Bucket> w : wildcardDomains.entrySet()) {
                    if (wildcardCovers(w.getKey(), host)) {
                        covering.add(w.getValue());
                    }
                }
            } else {
                for (String domain : labelSuffixes(host)) {
                    Bucket w = wildcardDomains.get(domain);
                    if (w != null && wildcardCovers(domain, host)) {
                        covering.add(w);
                    }
                }
            }
            exactNodes.put(host, node(always, covering));
        }
        Map<String, Node> wildcardNodes = new HashMap<>();
        for (Map.Entry<String, Bucket> w : wildcardDomains.entrySet()) {
            // A host under this domain is under each shorter domain it ends with, and under no other indexed one.
            List<Bucket> covering = new ArrayList<>();
            covering.add(w.getValue());
            for (String domain : labelSuffixes(w.getKey())) {
                Bucket shorter = wildcardDomains.get(domain);
                if (shorter != null) {
                    covering.add(shorter);
                }
            }
            wildcardNodes.put(w.getKey(), node(always, covering));
        }
        return new CandidateRules(range(rules.size()), always.stream().toArray(), readingResolution.stream().toArray(),
                RegionMap.of(exactNodes), RegionMap.of(wildcardNodes),
                true);
    }

    /** The rules whose outcome depends on whether the image resolved (metadata conditions, skipOnResolutionFailure), in order. */
    int[] readingResolution() {
        return readingResolution;
    }

    /**
     * The indices of the rules that could match, in rule order.
     *
     * @param registryKey the reference's registry key, {@code ""} when it names none
     * @param repository  its canonical repository ({@code host/path}), or {@code null}
     */
    int[] candidates(String registryKey, String repository) {
        if (!indexed) {
            return all;
        }
        if (registryKey.isEmpty()) {
            // No registry: registry conditions fail; repository conditions fail too unless a repository was implied.
            return repository == null ? always : all;
        }
        int hostEnd = RegistryName.hostLength(registryKey);
        if (repository == null || !repository.startsWith(registryKey) || repository.length() <= registryKey.length()
                || repository.charAt(registryKey.length()) != '/') {
            return all; // the repository names another registry than the key: not a case the index answers
        }
        Node node = exact.get(registryKey, 0, hostEnd);
        if (node == null) {
            node = longestWildcard(registryKey, hostEnd);
            if (node == null) {
                return always;
            }
        }
        if (node.byComponent().isEmpty()) {
            return node.anyPath();
        }
        int from = registryKey.length() + 1;
        int end = repository.indexOf('/', from);
        int[] byComponent = node.byComponent().get(repository, from, end < 0 ? repository.length() : end);
        return byComponent == null ? node.anyPath() : byComponent;
    }

    /** The node of the longest {@code *.domain} covering the host; its candidates include the shorter ones'. */
    private Node longestWildcard(String key, int hostEnd) {
        if (wildcard.isEmpty()) {
            return null;
        }
        for (int dot = key.indexOf('.'); dot >= 0 && dot < hostEnd; dot = key.indexOf('.', dot + 1)) {
            Node n = dot == 0 ? null : wildcard.get(key, dot + 1, hostEnd);
            if (n != null) {
                return n;
            }
        }
        return null;
    }

    /** {@code a.b.c} gives {@code b.c} and {@code c}: the domains a {@code *.domain} covering it could name. */
    private static List<String> labelSuffixes(String host) {
        List<String> suffixes = new ArrayList<>();
        for (int dot = host.indexOf('.', 1); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            suffixes.add(host.substring(dot + 1));
        }
        return suffixes;
    }

    private static Bucket bucket(HostPattern h, Map<String, Bucket> exactHosts, Map<String, Bucket> wildcardDomains) {
        return (h.wildcard() ? wildcardDomains : exactHosts).computeIfAbsent(h.host(), k -> new Bucket());
    }

    /** Whether {@code *.domain} covers the host, by the pattern's own matching (Docker Hub's names included). */
    private static boolean wildcardCovers(String domain, String host) {
        return new HostPattern("*." + domain, domain, RegistryName.NO_PORT, true).matches(host, true);
    }

    private static Node node(BitSet always, List<Bucket> covering) {
        BitSet anyPath = (BitSet) always.clone();
        TreeSet<String> components = new TreeSet<>();
        for (Bucket b : covering) {
            anyPath.or(b.anyPath);
            components.addAll(b.byComponent.keySet());
        }
        Map<String, int[]> byComponent = new HashMap<>();
        for (String c : components) {
            BitSet set = (BitSet) anyPath.clone();
            for (Bucket b : covering) {
                BitSet s = b.byComponent.get(c);
                if (s != null) {
                    set.or(s);
                }
            }
            byComponent.put(c, set.stream().toArray());
        }
        return new Node(anyPath.stream().toArray(), RegionMap.of(byComponent));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
