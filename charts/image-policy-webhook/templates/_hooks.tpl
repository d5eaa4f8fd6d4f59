{{/* The phases in which the hooks' service account and permissions exist. */}}
{{- define "ipw.hookPhases" -}}
{{- if eq .Values.certificates.mode "selfSigned" -}}
pre-install,pre-upgrade,post-install,post-upgrade,pre-delete
{{- else -}}
pre-delete
{{- end -}}
{{- end -}}

{{/* A hook Job running one of the image's own commands: (dict "root" $ "name" NAME "hook" PHASES "weight" N "args" LIST). */}}
{{- define "ipw.hookJob" -}}
{{- $root := .root -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "ipw.fullname" $root }}-{{ .name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "ipw.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .name }}
  annotations:
    helm.sh/hook: {{ .hook }}
    helm.sh/hook-weight: {{ .weight | quote }}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: 3
  activeDeadlineSeconds: 300
  template:
    metadata:
      labels:
        {{- include "ipw.selectorLabels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .name }}
    spec:
      restartPolicy: OnFailure
      serviceAccountName: {{ include "ipw.fullname" $root }}-hooks
      # This pod calls the Kubernetes API; the webhook pods do not.
      automountServiceAccountToken: true
      enableServiceLinks: false
      {{- with $root.Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "ipw.podSecurityContext" $root | nindent 8 }}
      containers:
        - name: {{ .name }}
          image: {{ include "ipw.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: [java, -XX:MaxRAMPercentage=50, -XX:+UseSerialGC, -XX:TieredStopAtLevel=1, -XX:-UsePerfData, -jar, /app/image-policy-webhook.jar]
          args:
            {{- toYaml .args | nindent 12 }}
          resources:
            {{- toYaml $root.Values.hooks.resources | nindent 12 }}
          securityContext:
            {{- include "ipw.containerSecurityContext" $root | nindent 12 }}
{{- end -}}

{{/* Arguments of certs kubernetes, shared by the pre- and post-install Jobs. */}}
{{- define "ipw.certsArgs" -}}
{{- $args := list "certs" "kubernetes"
    (printf "--namespace=%s" .Release.Namespace)
    (printf "--service=%s" (include "ipw.fullname" .))
    (printf "--ca-secret=%s" (include "ipw.caSecret" .))
    (printf "--tls-secret=%s" (include "ipw.tlsSecret" .))
    (printf "--validating-webhook-configuration=%s" (include "ipw.validatingName" .))
    (printf "--key-type=%s" .Values.certificates.selfSigned.keyType)
    (printf "--validity=%s" .Values.certificates.selfSigned.validity)
    (printf "--ca-validity=%s" .Values.certificates.selfSigned.caValidity)
    (printf "--renew-before=%s" .Values.certificates.selfSigned.renewBefore)
    (printf "--label=app.kubernetes.io/name=%s" (include "ipw.name" .))
    (printf "--label=app.kubernetes.io/instance=%s" .Release.Name) -}}
{{- if .Values.webhook.mutation.enabled -}}
{{- $args = append $args (printf "--mutating-webhook-configuration=%s" (include "ipw.mutatingName" .)) -}}
{{- end -}}
{{- toYaml $args -}}
{{- end -}}
