#!/usr/bin/env bash
# Writes a class-data-sharing archive of the webhook: the classes a start and a warm-up load, mapped from
# the archive at the next start instead of read and verified from the jar (Java 17's dynamic AppCDS). Run
# at image build time (Dockerfile) and by the load harness; the archive belongs to this jar and this JVM:
# with another, the JVM says so and starts without it.
#
#   [HEALTH_PORT=18079] docker/cds-archive.sh JAR ARCHIVE POLICY_DIR
set -euo pipefail
jar=$1 archive=$2 policy=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
health=${HEALTH_PORT:-18079}
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" serve --offline --host 127.0.0.1 --port 0 \
  --health-port "$health" --cert-dir "$work/certs" --policy "$policy" --shutdown-delay 0s >"$work/log" 2>&1 &
pid=$!
ready() { # /readyz over bash's /dev/tcp: the runtime image has no curl
  local status
  status=$( { exec 3<>"/dev/tcp/127.0.0.1/$health" && printf 'GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
    && read -r _ code _ <&3 && echo "$code"; } 2>/dev/null ) || return 1
  [ "$status" = 200 ]
}
for _ in $(seq 600); do
  ready && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.1
done
ready || { echo "the webhook did not become ready in 60 s" >&2; cat "$work/log" >&2; kill "$pid"; exit 1; }
kill -TERM "$pid"
wait "$pid" || true   # the archive is written as the JVM exits
[ -s "$archive" ] || { echo "no archive written" >&2; cat "$work/log" >&2; exit 1; }
echo "wrote $archive ($(( $(stat -c %s "$archive") / 1048576 )) MiB)"
