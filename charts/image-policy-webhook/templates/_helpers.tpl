{{/* Names and labels. */}}
{{- define "ipw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ipw.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ipw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ipw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ipw.labels" -}}
{{ include "ipw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "ipw.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "ipw.tlsSecret" -}}
{{- if eq .Values.certificates.mode "existingSecret" -}}
{{- required "certificates.existingSecret.name is required when certificates.mode is existingSecret" .Values.certificates.existingSecret.name -}}
{{- else -}}
{{- include "ipw.fullname" . }}-tls
{{- end -}}
{{- end -}}

{{- define "ipw.caSecret" -}}
{{- include "ipw.fullname" . }}-ca
{{- end -}}

{{- define "ipw.validatingName" -}}
{{- include "ipw.fullname" . }}
{{- end -}}

{{- define "ipw.mutatingName" -}}
{{- include "ipw.fullname" . }}
{{- end -}}

{{/* The container memory limit in MiB, from a Kubernetes quantity (Ki, Mi, Gi, M, G or bytes). */}}
{{- define "ipw.memoryLimitMiB" -}}
{{- $q := toString (required "resources.limits.memory is required: the heap and the registry cache are sized from it" .Values.resources.limits.memory) -}}
{{- if hasSuffix "Gi" $q -}}{{ mul (trimSuffix "Gi" $q | atoi) 1024 }}
{{- else if hasSuffix "Mi" $q -}}{{ trimSuffix "Mi" $q | atoi }}
{{- else if hasSuffix "Ki" $q -}}{{ div (trimSuffix "Ki" $q | atoi) 1024 }}
{{- else if hasSuffix "G" $q -}}{{ div (mul (trimSuffix "G" $q | atoi) 1000000000) 1048576 }}
{{- else if hasSuffix "M" $q -}}{{ div (mul (trimSuffix "M" $q | atoi) 1000000) 1048576 }}
{{- else if regexMatch "^[0-9]+$" $q -}}{{ div ($q | atoi) 1048576 }}
{{- else -}}{{ fail (printf "resources.limits.memory %q: write it as a whole number of Mi, Gi, M, G, Ki or bytes" $q) }}
{{- end -}}
{{- end -}}

{{/*
JVM options derived from the memory limit. The heap gets maxRAMPercentage of the limit; the rest must be at least 320 MiB
and is split so that every pool has a ceiling: direct buffers (Netty) a quarter of it, metaspace 128 MiB, compiled code
64 MiB, and the remainder (at least 48 MiB) for threads, GC structures and BoringSSL. With the registry cache bounded by a
share of the heap (--cache-max-heap-percent), no values lead to the kernel's OOM kill: the JVM fails first, and exits.
*/}}
{{- define "ipw.jvmOptions" -}}
{{- $limit := include "ipw.memoryLimitMiB" . | atoi -}}
{{- $pct := int .Values.jvm.maxRAMPercentage -}}
{{- $heap := div (mul $limit $pct) 100 -}}
{{- $rest := sub $limit $heap -}}
{{- if lt $rest 320 -}}
{{- fail (printf "resources.limits.memory %dMi with jvm.maxRAMPercentage %d leaves %dMi outside the heap; the JVM needs at least 320Mi there: raise the limit to %dMi or lower maxRAMPercentage to %d" $limit $pct $rest (add $heap 320) (div (mul (sub $limit 320) 100) $limit)) -}}
{{- end -}}
{{- if lt $heap 128 -}}
{{- fail (printf "resources.limits.memory %dMi with jvm.maxRAMPercentage %d gives a %dMi heap; give the heap at least 128Mi" $limit $pct $heap) -}}
{{- end -}}
- -XX:MaxRAMPercentage={{ $pct }}
- -XX:InitialRAMPercentage={{ $pct }}
- -XX:MaxDirectMemorySize={{ div $rest 4 }}m
- -XX:MaxMetaspaceSize=128m
- -XX:ReservedCodeCacheSize=64m
- -XX:+ExitOnOutOfMemoryError
- -XX:-UsePerfData
{{- if .Values.jvm.classDataSharing }}
- -XX:SharedArchiveFile=/app/image-policy-webhook.jsa
{{- end }}
{{- range .Values.jvm.extraOptions }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Milliseconds a decision may take: set, or derived from timeoutSeconds; always at least 500 ms below it. */}}
{{- define "ipw.decisionTimeoutMillis" -}}
{{- $budget := mul (int .Values.webhook.timeoutSeconds) 1000 -}}
{{- $set := int .Values.webhook.decisionTimeoutMillis -}}
{{- if eq $set 0 -}}
{{- min 2500 (div $budget 2) -}}
{{- else if gt $set (sub $budget 500) -}}
{{- fail (printf "webhook.decisionTimeoutMillis %d must stay at least 500 ms below webhook.timeoutSeconds (%d s), or the API server gives up before the webhook answers and failurePolicy decides instead of the policy" $set (int .Values.webhook.timeoutSeconds)) -}}
{{- else -}}
{{- $set -}}
{{- end -}}
{{- end -}}

{{/* The hardened security contexts; OpenShift's restricted-v2 SCC assigns the user and fsGroup itself. */}}
{{- define "ipw.podSecurityContext" -}}
runAsNonRoot: true
{{- if not .Values.openshift.enabled }}
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "ipw.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Webhook rules: every resource the engine reads images from, CREATE and UPDATE. */}}
{{- define "ipw.rules" -}}
- apiGroups: [""]
  apiVersions: [v1]
  operations: [CREATE, UPDATE]
  resources: [pods, pods/ephemeralcontainers, podtemplates, replicationcontrollers]
  scope: Namespaced
- apiGroups: [apps]
  apiVersions: [v1]
  operations: [CREATE, UPDATE]
  resources: [daemonsets, deployments, replicasets, statefulsets]
  scope: Namespaced
- apiGroups: [batch]
  apiVersions: [v1]
  operations: [CREATE, UPDATE]
  resources: [cronjobs, jobs]
  scope: Namespaced
{{- if .Values.openshift.enabled }}
- apiGroups: [apps.openshift.io]
  apiVersions: [v1]
  operations: [CREATE, UPDATE]
  resources: [deploymentconfigs]
  scope: Namespaced
- apiGroups: [build.openshift.io]
  apiVersions: [v1]
  operations: [CREATE, UPDATE]
  resources: [builds, buildconfigs]
  scope: Namespaced
{{- end }}
{{- end -}}

{{/* Validating only: the import policy (allowedRegistriesForImport) wherever openshift-apiserver checks it: ImageStreams
(spec, and status as the import controller writes it), ImageStreamTags, ImageTags and ImageStreamImports. */}}
{{- define "ipw.importRules" -}}
{{- if .Values.openshift.enabled }}
- apiGroups: [image.openshift.io]
  apiVersions: [v1]
  operations: [CREATE, UPDATE]
  resources: [imagestreams, imagestreamtags, imagetags]
  scope: Namespaced
- apiGroups: [image.openshift.io]
  apiVersions: [v1]
  operations: [UPDATE]
  resources: [imagestreams/status]
  scope: Namespaced
- apiGroups: [image.openshift.io]
  apiVersions: [v1]
  operations: [CREATE]
  resources: [imagestreamimports]
  scope: Namespaced
{{- end }}
{{- end -}}

{{/* The user's namespace selector with the release namespace (and excludeNamespaces) always excluded, as Gatekeeper does. */}}
{{- define "ipw.namespaceSelector" -}}
{{- $excluded := list .Release.Namespace -}}
{{- range .Values.webhook.excludeNamespaces -}}{{- $excluded = append $excluded . -}}{{- end -}}
{{- $selector := deepCopy (default (dict) .Values.webhook.namespaceSelector) -}}
{{- $expressions := default (list) $selector.matchExpressions -}}
{{- $expressions = append $expressions (dict "key" "kubernetes.io/metadata.name" "operator" "NotIn" "values" (uniq $excluded)) -}}
{{- $_ := set $selector "matchExpressions" $expressions -}}
{{- toYaml $selector -}}
{{- end -}}

{{/* clientConfig.caBundle where the chart knows it; the other modes inject it (hook Job, cainjector, service CA). */}}
{{- define "ipw.caBundle" -}}
{{- if eq .Values.certificates.mode "existingSecret" }}
caBundle: {{ required "certificates.existingSecret.caBundle (base64 of the PEM CA) is required when certificates.mode is existingSecret" .Values.certificates.existingSecret.caBundle }}
{{- end -}}
{{- end -}}

{{- define "ipw.webhookAnnotations" -}}
{{- if eq .Values.certificates.mode "certManager" }}
cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "ipw.fullname" . }}
{{- else if eq .Values.certificates.mode "openshiftServiceCA" }}
service.beta.openshift.io/inject-cabundle: "true"
{{- end -}}
{{- end -}}

{{/* Values that only make sense together. */}}
{{- define "ipw.validate" -}}
{{- if and (eq .Values.certificates.mode "openshiftServiceCA") (not .Values.openshift.enabled) -}}
{{- fail "certificates.mode openshiftServiceCA needs openshift.enabled: only OpenShift runs the service CA" -}}
{{- end -}}
{{- if and (eq .Values.policy.source "existingConfigMap") (not .Values.policy.existingConfigMap) -}}
{{- fail "policy.existingConfigMap is required when policy.source is existingConfigMap" -}}
{{- end -}}
{{- if and (eq .Values.policy.source "inline") (not .Values.policy.inline) -}}
{{- fail "policy.inline needs at least one file when policy.source is inline" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" -}}
{{- end -}}
{{- end -}}
