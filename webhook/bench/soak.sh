#!/usr/bin/env bash
# Soak: the jar under sustained load at half its saturating rate for MINUTES (default 10), while its
# policy is rewritten every 10 s, its certificate rotated every minute, and the registry it looks
# images up in fails 5% of requests. Every pod it is sent is one the policy allows. The load goes through
# a TCP balancer (bench TcpBalancer: new connections to backends whose /readyz says ready) to two servers,
# the one measured below and a second one restarted (SIGTERM, then started again) every 30 s: a rolling
# restart. At the end it checks:
#   - no admission failed (no denial, no 5xx, no connection error, no timeout), restarts included;
#   - every policy rewrite and certificate rotation was picked up, and new TLS clients get the new certificate;
#   - the heap after a full GC did not grow, and no file descriptor leaked;
# and exits non-zero, saying which check failed, if any did.
#
#   webhook/bench/soak.sh [MINUTES]       (CI runs 2)
#
# Needs: java (JDK: jcmd), mvn, wrk, curl, python3 and docker-registry (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-10}
connections=16
hot=100   # distinct images the pods use

# shellcheck source=webhook/bench/common.sh
. webhook/bench/common.sh
require "apt-get install openjdk-17-jdk-headless wrk curl python3 docker-registry" java jcmd mvn wrk curl python3
ensure_jars

workspace ipw-soak
log() { echo "[soak $(date -u +%H:%M:%S)] $*"; }
metrics() { curl -s "http://127.0.0.1:$health/metrics"; }
heap_after_gc() { jcmd "$webhook" GC.run >/dev/null; jcmd "$webhook" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1; }
fds() { ls "/proc/$webhook/fd" | wc -l; }

# The registry, behind a proxy that fails 5% of requests (half 500s, half connection resets).
mkdir -p "$work/registry" "$work/tls"
keep_alive RegistryFixture "$work/registry" "$hot" 2>"$work/registry.log"
until [ -f "$work/registry/fixture.env" ]; do sleep 0.2; grep -q Exception "$work/registry.log" && { cat "$work/registry.log"; exit 1; }; done
# shellcheck disable=SC1091
. "$work/registry/fixture.env"

# Two policies that both allow every pod of the soak; the soak switches between them every 10 s.
policy() { # $1: 0 or 1
  {
    echo "apiVersion: image.openshift.io/v1"
    echo "kind: ImagePolicyConfig"
    echo "resolveImages: Required"
    echo "executionRules:"
    echo "- name: approved-images"
    echo "  onResources: [{resource: pods}]"
    echo "  matchDockerImageLabels: [{key: com.example.approved, value: \"true\"}]"
    if [ "$1" = 1 ]; then
      echo "- name: no-images-from-the-old-registry"
      echo "  reject: true"
      echo "  onResources: [{resource: pods}]"
      echo "  matchRegistries: [old-registry.example.com]"
    fi
  } >"$work/policy.yaml.next"
  mv "$work/policy.yaml.next" "$work/policy.yaml"
}
policy 0
java -cp "$bench" org.imagepolicy.bench.RotateCertificate "$work/tls"

port=$(free_port); health=$(free_port)
port2=$(free_port); health2=$(free_port); balancer=$(free_port)
# serve PORT HEALTH LOG: one webhook; a 5 s tag TTL refreshes each image's digest from the failing registry
# about once every 4 s. The balancer probes every 200 ms, so a 3 s shutdown delay covers its endpoint removal.
serve() {
  java -Xms256m -Xmx256m -jar "$jar" serve --policy "$work/policy.yaml" --host 127.0.0.1 --port "$1" --health-port "$2" \
    --tls-cert "$work/tls/tls.crt" --tls-key "$work/tls/tls.key" --reload-interval 1 --tag-ttl 5s --max-stale 10m \
    --shutdown-delay 3s ${SOAK_SERVE_EXTRA:-} --allow-registry-address 127.0.0.1 --insecure-registry "$FLAKY" >>"$3" 2>&1 &
}
await_ready() { # HEALTH PID LOG
  until curl -sf "http://127.0.0.1:$1/readyz" >/dev/null; do
    kill -0 "$2" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.1
  done
}
serve "$port" "$health" "$work/webhook.log"; webhook=$!; pids+=($webhook)
serve "$port2" "$health2" "$work/webhook2.log"; second=$!; pids+=($second)
await_ready "$health" "$webhook" "$work/webhook.log"
await_ready "$health2" "$second" "$work/webhook2.log"
keep_alive TcpBalancer "$balancer" "$work/balancer.stats" "$port:$health" "$port2:$health2" 2>"$work/balancer.log"
until [ -s "$work/balancer.stats" ]; do sleep 0.1; done
url="https://127.0.0.1:$balancer/validate"
load() { # seconds rate -> RESULT line
  env REVIEW="$work/reviews/pod-3-template.json" IMAGE_FORMAT="$FLAKY/bench/app-%d:v1" COUNT=$hot RATE="$2" CONNECTIONS=$connections \
    wrk -t1 -c$connections -d"$1"s --timeout 5s -s webhook/bench/post.lua "$url" 2>>"$work/wrk.err" | grep '^RESULT' || true
}
java -cp "$bench" org.imagepolicy.bench.Reviews "$work/reviews"

# Warm-up: until every image is cached (a first lookup may meet one of the injected failures and be denied:
# resolveImages: Required has nothing to fall back on yet). Then the saturating rate, and half of it.
for pass in 1 2 3 4 5 6 7 8 9 10; do
  r=$(load 3 0)
  [ "$(field denied "$r")" = 0 ] && [ "$(metric "$health" 'cache_entries{cache="images"}')" -ge "$hot" ] && break
done
saturating=$(field rps "$(load 5 0)")
rate=$(python3 -c "print(int($saturating / 2))")
log "saturating at $saturating req/s through the balancer; soaking at $rate req/s for $minutes min with pods of 3 images from $hot, registry failing 5%, the second server restarted every 30 s"

wrk_start=$(date +%s)
env REVIEW="$work/reviews/pod-3-template.json" IMAGE_FORMAT="$FLAKY/bench/app-%d:v1" COUNT=$hot RATE="$rate" CONNECTIONS=$connections \
  wrk -t1 -c$connections -d"$((minutes * 60))"s --timeout 5s -s webhook/bench/post.lua "$url" >"$work/soak.out" 2>>"$work/wrk.err" &
wrk=$!; pids+=($wrk)

# Baselines once the load has run a little (connections open, caches and JIT settled).
sleep 20
heap0=$(heap_after_gc); fds0=$(fds)
log "baseline after 20 s: heap after GC $((heap0 / 1024)) MiB, $fds0 file descriptors"

rewrites=0; rotations=0; rotation_failures=0; next_policy=10; next_rotation=30; variant=0
# The rolling restart: SIGTERM the second server, wait for it to exit, start it again, wait until ready; every 30 s.
restarts=0; restart_state=up; next_restart=30; bad_exits=0
while kill -0 "$wrk" 2>/dev/null; do
  now=$(( $(date +%s) - wrk_start ))
  case $restart_state in
    up)
      if [ "$now" -ge "$next_restart" ] && [ "$now" -lt "$((minutes * 60 - 15))" ]; then
        kill -TERM "$second"; restart_state=stopping; stop_started=$now
      fi ;;
    stopping)
      if ! kill -0 "$second" 2>/dev/null; then
        status=0; wait "$second" || status=$?
        [ "$status" = 143 ] || bad_exits=$((bad_exits + 1))
        # A new server starts with an empty cache, and resolveImages: Required denies what a failing registry cannot
        # answer yet (as at the start of the soak). The balancer holds it back until it is warm, as a readiness gate would.
        touch "$work/hold-$port2"
        serve "$port2" "$health2" "$work/webhook2.log"; second=$!; pids+=($second); restart_state=starting
        stopped_after=$((now - stop_started))
      fi ;;
    starting)
      if curl -sf "http://127.0.0.1:$health2/readyz" >/dev/null; then
        for _ in 1 2 3 4 5 6 7 8 9 10; do
          r=$(env REVIEW="$work/reviews/pod-3-template.json" IMAGE_FORMAT="$FLAKY/bench/app-%d:v1" COUNT=$hot RATE=0 CONNECTIONS=2 \
            wrk -t1 -c2 -d2s --timeout 5s -s webhook/bench/post.lua "https://127.0.0.1:$port2/validate" 2>/dev/null | grep '^RESULT' || true)
          [ "$(field denied "$r")" = 0 ] && [ "$(metric "$health2" 'cache_entries{cache="images"}')" -ge "$hot" ] && break
        done
        rm -f "$work/hold-$port2"
        restarts=$((restarts + 1)); restart_state=up; next_restart=$((next_restart + 30))
        log "second server restarted ($restarts): exited ${stopped_after} s after SIGTERM, warmed, back in the balancer"
      fi ;;
  esac
  if [ "$now" -ge "$next_policy" ]; then
    variant=$((1 - variant)); policy "$variant"; rewrites=$((rewrites + 1)); next_policy=$((next_policy + 10))
  fi
  if [ "$now" -ge "$next_rotation" ] && [ "$now" -lt "$((minutes * 60 - 5))" ]; then
    java -cp "$bench" org.imagepolicy.bench.RotateCertificate "$work/tls"
    rotations=$((rotations + 1)); next_rotation=$((next_rotation + 60))
    # A new client must get the new certificate (it trusts only the new CA) within a few reload intervals.
    ok=false
    for _ in $(seq 1 50); do
      if curl -sf --cacert "$work/tls/ca.crt" -o /dev/null -H 'Content-Type: application/json' \
          --data-binary "@$work/reviews/pod-1.json" "https://localhost:$port/validate"; then ok=true; break; fi
      sleep 0.1
    done
    $ok || rotation_failures=$((rotation_failures + 1))
    log "certificate rotated ($rotations); served to a new client: $ok"
  fi
  sleep 1
done
wait "$wrk" || true
result=$(grep '^RESULT' "$work/soak.out" || true)
sleep 3   # the last policy rewrite is picked up within the reload interval
heap1=$(heap_after_gc); fds1=$(fds)
policy_reloads=$(metric "$health" 'policy_reloads_total{result="success"}')
policy_failures=$(metric "$health" 'policy_reloads_total{result="failure"}')
cert_reloads=$(metric "$health" 'certificate_reloads_total{result="success"}')
stale=$(metric "$health" 'stale_served_total')
registry_errors=$(metrics | awk -v k="responses_total{registry=\"$FLAKY\"" '!/^#/ && index($0, k) && !/status="200"/ {s += $NF} END {print s + 0}')

echo
echo "Soak of $minutes min at $rate req/s (half of $saturating), $(nproc) cores, $(date -u +%Y-%m-%d):"
echo "  $(field requests "$result") admissions: $(field denied "$result") denied, $(field non200 "$result") not 200, $(field errors "$result") connection errors or timeouts; p99 $(field p99 "$result") ms, p99.9 $(field p999 "$result") ms"
echo "  registry: $registry_errors failed requests (injected), $stale digests served stale"
echo "  policy rewritten $rewrites times, reloaded $((policy_reloads - 1)) times, $policy_failures failures; certificate rotated $rotations times, reloaded $cert_reloads"
echo "  heap after GC $((heap0 / 1024)) MiB -> $((heap1 / 1024)) MiB; file descriptors $fds0 -> $fds1"
echo "  rolling restart: second server restarted $restarts times, $bad_exits exits other than SIGTERM's 143; balancer $(cat "$work/balancer.stats")"

failed=0
check() { if eval "$2"; then echo "  ok:     $1"; else echo "  FAILED: $1"; failed=1; fi; }
echo
check "load ran (admissions answered)" "[ '$(field requests "$result")' -gt 0 ]"
check "no allowable admission denied" "[ '$(field denied "$result")' = 0 ]"
check "no 5xx or other non-200 answer" "[ '$(field non200 "$result")' = 0 ]"
check "no connection error or timeout" "[ '$(field errors "$result")' = 0 ]"
check "the second server restarted (every 30 s, each cycle with its warm-up; at least $minutes times), each exit a clean SIGTERM" \
  "[ $restarts -ge $minutes ] && [ $bad_exits = 0 ]"
check "the balancer always had a ready server" "grep -q ' no_ready_backend=0 connect_failures=0' '$work/balancer.stats'"
check "the registry really failed requests" "[ $registry_errors -gt 0 ]"
check "every policy rewrite reloaded, none failed" "[ $((policy_reloads - 1)) -ge $rewrites ] && [ $policy_failures = 0 ]"
check "every certificate rotation reloaded and served" "[ $cert_reloads -ge $rotations ] && [ $rotation_failures = 0 ]"
check "heap after GC did not grow (by more than 10% or 8 MiB)" "[ $heap1 -le \$(( heap0 + (heap0 / 10 > 8192 ? heap0 / 10 : 8192) )) ]"
# Registry connection pools (8 per registry) open and close as the proxy resets them: a leak grows past that.
check "no file descriptor leaked (within 16)" "[ $fds1 -le $((fds0 + 16)) ]"
if [ "$failed" != 0 ]; then
  echo; echo "webhook log (last 40 lines):"; tail -40 "$work/webhook.log"
  echo "wrk stderr (first 10 lines):"; head -10 "$work/wrk.err"
  echo "balancer: when backends came and went:"; cat "$work/balancer.log"
fi
exit "$failed"
