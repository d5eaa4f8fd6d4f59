package org.imagepolicy.webhook.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.ServingCertSpec;

/**
 * Signs registry bearer tokens the way distribution 2.8 verifies them
 * ({@code registry/auth/token/token.go}):
 * <ul>
 * <li>the header carries {@code x5c}: the signing certificate as standard (padded) base64 DER; the
 * registry checks it chains to a certificate of its {@code rootcertbundle} and takes the key from it;
 * <li>{@code alg} is ES256 and the signature is the JOSE form, R||S as two 32-byte big-endian
 * integers. The JDK's {@code SHA256withECDSA} yields ASN.1 DER instead, which libtrust rejects
 * because of its length; {@code SHA256withECDSAinP1363Format} yields exactly R||S;
 * <li>{@code aud} is a single string: 2.8's {@code ClaimSet.Audience} is a Go {@code string}, so an
 * array would fail to unmarshal;
 * <li>{@code iss} and {@code aud} must equal {@code auth.token.issuer} and {@code auth.token.service},
 * and {@code nbf}/{@code exp} are checked with 60 s leeway.
 * </ul>
 */
final class JwtSigner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    /** One entry of the {@code access} claim. */
    record Access(String type, String name, List<String> actions) {
    }

    private final CertificateAuthority authority;
    private final IssuedCertificate signer;
    private final String issuer;

    JwtSigner(String issuer) {
        this.issuer = issuer;
        this.authority = CertificateAuthority.generate("local token signing CA", Duration.ofDays(1));
        // The registry verifies with ExtKeyUsageAny, so the serving-certificate profile the certs
        // module issues (serverAuth, digitalSignature) is accepted for signing tokens too.
        this.signer = authority.issue(new ServingCertSpec(List.of("token-signer"), List.of(), Duration.ofDays(1)));
    }

    /** The CA the registry must list in {@code auth.token.rootcertbundle}. */
    CertificateAuthority authority() {
        return authority;
    }

    String sign(String audience, String subject, List<Access> access, Instant now, Duration lifetime) {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        try {
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(signer.certificate().getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }

        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode grants = claims.putArray("access");
        for (Access a : access) {
            ObjectNode grant = grants.addObject();
            grant.put("type", a.type());
            grant.put("name", a.name());
            a.actions().forEach(grant.putArray("actions")::add);
        }

        String signingInput = base64Url(header) + "." + base64Url(claims);
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
            ecdsa.initSign(signer.privateKey());
            ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            byte[] rs = ecdsa.sign();
            if (rs.length != 64) {
                throw new IllegalStateException("ES256 needs a 64-byte R||S signature, got " + rs.length);
            }
            return signingInput + "." + URL.encodeToString(rs);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the token", e);
        }
    }

    private static String base64Url(ObjectNode json) {
        try {
            return URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
