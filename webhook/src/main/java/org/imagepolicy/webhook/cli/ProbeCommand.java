package org.imagepolicy.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.certs.PemException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code probe}: what {@code helm test} runs. Sends one AdmissionReview for a pod over HTTPS, trusting only the given
 * CA and checking the host name as the API server does, and checks that a well-formed answer for it comes back.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"POST a sample AdmissionReview (a pod with one container) to a running webhook and check the answer:",
            "HTTP 200, an AdmissionReview response with the same uid and an allowed field.",
            "Exit status: 0 when it answered as expected, 1 when not (the reason is printed), 2 on bad arguments."})
final class ProbeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The webhook's URL, such as https://SERVICE.NAMESPACE.svc/validate.")
    URI url;

    @Option(names = "--ca", required = true, paramLabel = "FILE", description = "PEM CA certificate(s) to trust; nothing else is trusted.")
    Path ca;

    @Option(names = "--image", defaultValue = "registry.k8s.io/pause:3.10", paramLabel = "IMAGE",
            description = "The sample pod's image (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--expect", paramLabel = "allowed|denied", description = "Also require this answer (default: either).")
    String expect;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time for connecting and answering (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (expect != null && !List.of("allowed", "denied").contains(expect)) {
            err.println("probe: --expect must be allowed or denied, not " + expect);
            return Main.INVALID;
        }
        SSLContext tls;
        try {
            tls = trusting(Pem.readCertificates(Files.readString(ca)));
        } catch (IOException | PemException e) {
            err.println("probe: " + ca + ": " + e.getMessage());
            return Main.INVALID;
        } catch (GeneralSecurityException e) {
            err.println("probe: cannot build a trust store from " + ca + ": " + e.getMessage());
            return Main.INVALID;
        }
        String uid = UUID.randomUUID().toString();
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review(uid))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("probe: " + url + " did not answer: " + e);
            return 1;
        }
        if (response.statusCode() != 200) {
            err.println("probe: " + url + " answered HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
            return 1;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body()).path("response");
        } catch (IOException e) {
            err.println("probe: the answer is not JSON: " + abbreviate(response.body()));
            return 1;
        }
        if (!uid.equals(answer.path("uid").asText()) || !answer.path("allowed").isBoolean()) {
            err.println("probe: the answer is not an AdmissionReview response for uid " + uid + ": " + abbreviate(response.body()));
            return 1;
        }
        String verdict = answer.path("allowed").asBoolean() ? "allowed" : "denied";
        out.println("probe: " + url + " answered: " + verdict + " pod with image " + image
                + (verdict.equals("denied") ? " (" + answer.path("status").path("message").asText() + ")" : ""));
        if (expect != null && !expect.equals(verdict)) {
            err.println("probe: expected " + expect);
            return 1;
        }
        return 0;
    }

    private String review(String uid) {
        var root = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        var req = root.putObject("request").put("uid", uid).put("operation", "CREATE").put("namespace", "image-policy-probe")
                .put("name", "probe");
        req.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        req.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        req.putObject("userInfo").put("username", "system:serviceaccount:image-policy-probe:probe");
        var pod = req.putObject("object").put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "probe").put("namespace", "image-policy-probe");
        pod.putObject("spec").putArray("containers").addObject().put("name", "probe").put("image", image);
        return root.toString();
    }

    private static SSLContext trusting(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
