# The webhook's container image: built by Maven in the first stage, run on a JRE 17 in the second.
#   docker build -t registry.example.com/image-policy-webhook:0.1.0-SNAPSHOT .
# The Helm chart runs `java <memory flags> -jar /app/image-policy-webhook.jar ...`, so the jar's path and `java` on
# PATH are this image's contract (the Jib build in webhook/pom.xml keeps it too).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first, so the dependency download is a cached layer until a pom changes.
COPY pom.xml ./
COPY certs/pom.xml certs/
COPY webhook/pom.xml webhook/
COPY webhook/bench/pom.xml webhook/bench/
COPY charts/pom.xml charts/
RUN mvn -B -q -pl certs dependency:go-offline
COPY certs certs
COPY webhook webhook
RUN mvn -B -q -pl webhook -am -DskipTests package

FROM eclipse-temurin:17-jre
# Only the runtime and the jar. A numeric non-root user, so Kubernetes' runAsNonRoot can verify it; OpenShift runs it
# under an arbitrary UID instead, which works because nothing in the image needs to be written.
COPY --from=build /src/webhook/target/image-policy-webhook.jar /app/image-policy-webhook.jar
# Class-data sharing: the classes a start and its warm-up load, archived from a real start on the shipped
# policies, so a new replica reaches ready sooner (the chart passes -XX:SharedArchiveFile; without the
# archive, or with another JVM, Java starts without it and says nothing).
COPY docker/cds-archive.sh /tmp/cds-archive.sh
COPY policies /tmp/cds-policies
RUN (/tmp/cds-archive.sh /app/image-policy-webhook.jar /app/image-policy-webhook.jsa /tmp/cds-policies \
      || echo "no class-data archive (this JRE cannot write one): the webhook starts without it") \
    && rm -rf /tmp/cds-archive.sh /tmp/cds-policies
USER 65532:65532
EXPOSE 8443 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/image-policy-webhook.jsa", "-jar", "/app/image-policy-webhook.jar"]
CMD ["serve", "--policy", "/etc/image-policy/policy"]
