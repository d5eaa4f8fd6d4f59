#!/usr/bin/env bash
# Load harness: the real webhook (jar, HTTPS, generated certificate) against nginx answering the same
# AdmissionReview response over the same certificate, driven by wrk on the same machine; then a policy of
# 1,200 generated rules against one of 2; the registry scenarios against Debian's docker-registry on
# loopback (cold, 200 ms, down), the heap with 100,000 cached images, and the JMH hot path. Ends with each target: met, or missed by how much.
#
#   webhook/bench/run.sh [--quick]     (--quick: under 2 minutes once built; skips the heap and JMH runs)
#   REBUILD=1 webhook/bench/run.sh     (rebuild the jars first; they are built when missing)
#
# Needs: java, mvn, wrk, nginx and docker-registry (Debian: apt-get install wrk nginx-light docker-registry).
# Prints markdown tables on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true
seconds=$($quick && echo 3 || echo 20)
warm=$($quick && echo 1 || echo 5)
first_warm=$($quick && echo 3 || echo 15)     # the JIT, before anything is measured: C2 needs ~20 s of load here
images=$($quick && echo 150 || echo 1000)      # pushed to the local registry; each cold lookup uses a new one
slow_cold=$($quick && echo 32 || echo 160)     # cold admissions through the 200 ms registry
connections=16

# shellcheck source=webhook/bench/common.sh
. webhook/bench/common.sh
require "apt-get install wrk nginx-light docker-registry (and Java 17, Maven)" java mvn wrk nginx curl python3
ensure_jars

workspace ipw-bench
say() { echo "$*" >&2; }
ratio() { python3 -c "print(f'{$1/$2:.0%}')"; }

# serve NAME HEAP ARGS...: starts the jar, waits for /readyz, sets $port $health and ${ready_ms}.
serve() {
  local name=$1 heap=$2; shift 2
  port=$(free_port); health=$(free_port)
  local started; started=$(date +%s%N)
  java -Xms"$heap" -Xmx"$heap" -jar "$jar" serve --host 127.0.0.1 --port "$port" --health-port "$health" \
    --cert-dir "$work/certs" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!); webhook_pid=$!
  until curl -sf "http://127.0.0.1:$health/readyz" >/dev/null; do
    kill -0 "$webhook_pid" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
# post URL REVIEW RATE [SECONDS]: fixed review, post.lua -> RESULT line
post() {
  REVIEW="$2" RATE="$3" CONNECTIONS=$connections wrk -t1 -c$connections -d"${4:-$seconds}"s -s webhook/bench/post.lua "$1" 2>&1 | grep '^RESULT' || true
}
# vary URL SECONDS VAR=VALUE...: post.lua with its settings -> RESULT line
vary() {
  local url=$1 secs=$2; shift 2
  env REVIEW="$work/reviews/pod-1-template.json" CONNECTIONS=$connections "$@" \
    wrk -t1 -c$connections -d"$secs"s --timeout 10s -s webhook/bench/post.lua "$url" 2>"$work/wrk.err" | grep '^RESULT' || true
}
# until URL LIMIT VAR=VALUE...: post.lua until LIMIT admissions are answered, then wrk is stopped (SIGINT ends
# its run early and it still reports), so req/s is over the time the run really took.
until_answered() {
  local url=$1 limit=$2; shift 2
  local before; before=$(metric "$health" image_policy_admission_requests_total)
  env REVIEW="$work/reviews/pod-1-template.json" CONNECTIONS=$connections LIMIT="$limit" "$@" \
    wrk -t1 -c$connections -d600s --timeout 10s -s webhook/bench/post.lua "$url" >"$work/wrk.out" 2>"$work/wrk.err" &
  local wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null && [ $(( $(metric "$health" image_policy_admission_requests_total) - before )) -lt "$limit" ]; do
    sleep 0.1
  done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  grep '^RESULT' "$work/wrk.out" || true
}

java -cp "$bench" org.imagepolicy.bench.Reviews "$work/reviews"
scenarios=(pod-1 pod-3 pod-10 deployment cronjob build)

### Cache hits: the shipped registry allow-list (registry rules only), one event loop per core.
say "cache-hit scenarios..."
serve offline 256m --policy policies/trusted-registries.yaml --offline
offline_port=$port; offline_ready_ms=$ready_ms

# nginx answers each scenario with the webhook's own answer, byte for byte, on the same certificate.
nginx_port=$(free_port)
mkdir -p "$work/nginx"
{
  echo "worker_processes auto; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; client_body_temp_path $work/nginx; keepalive_requests 10000000;"
  echo "  server { listen 127.0.0.1:$nginx_port ssl http2; ssl_certificate $work/certs/tls.crt; ssl_certificate_key $work/certs/tls.key;"
  echo "    ssl_protocols TLSv1.2 TLSv1.3; client_max_body_size 4m; default_type application/json;"
  for s in "${scenarios[@]}"; do
    curl -s --cacert "$work/certs/ca.crt" -H 'Content-Type: application/json' --data-binary "@$work/reviews/$s.json" \
      "https://localhost:$offline_port/validate" >"$work/nginx/$s.answer"
    echo "    location = /$s { return 200 '$(sed "s/'/\\\\'/g" "$work/nginx/$s.answer")'; }"
  done
  echo "  } }"
} >"$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
pids+=($(cat "$work/nginx/nginx.pid"))

# Warm both servers up (the JIT, TLS session machinery) before anything is measured.
post "https://127.0.0.1:$offline_port/validate" "$work/reviews/pod-3.json" 0 "$first_warm" >/dev/null
for s in "${scenarios[@]}"; do
  post "https://127.0.0.1:$offline_port/validate" "$work/reviews/$s.json" 0 "$warm" >/dev/null
  $quick || post "https://127.0.0.1:$nginx_port/$s" "$work/reviews/$s.json" 0 "$warm" >/dev/null   # nginx has no JIT to warm
done

echo "image-policy-webhook load benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
echo "wrk -t1 -c$connections on the same cores, HTTP/1.1 keep-alive over TLS, ${seconds}s per run; webhook ready in ${offline_ready_ms} ms"
echo
echo "| scenario | webhook req/s | p50 ms | p99 ms | p99.9 ms | nginx req/s | ratio | at half load: req/s, p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
ratios=(); half_p99s=()
for s in "${scenarios[@]}"; do
  w=$(post "https://127.0.0.1:$offline_port/validate" "$work/reviews/$s.json" 0)
  n=$(post "https://127.0.0.1:$nginx_port/$s" "$work/reviews/$s.json" 0)
  wr=$(field rps "$w"); nr=$(field rps "$n")
  half=$(post "https://127.0.0.1:$offline_port/validate" "$work/reviews/$s.json" $(( ${wr%.*} / 2 )))
  ratios+=("$(python3 -c "print($wr/$nr)")"); half_p99s+=("$(field p99 "$half")")
  echo "| $s | $wr | $(field p50 "$w") | $(field p99 "$w") | $(field p999 "$w") | $nr | $(ratio "$wr" "$nr") | $(field rps "$half"), $(field p99 "$half") |"
  [ "$(field non200 "$w")" = 0 ] || echo "  ($s: $(field non200 "$w") answers were not 200)"
done
rss=$(ps -o rss= -p "$webhook_pid" | xargs)
echo
echo "webhook resident memory after the runs: $((rss / 1024)) MiB (heap capped at 256 MiB)"
kill "$webhook_pid"

### Policy size: the same pod under a 2-rule policy and under 1,000 allow rules of 10 registries plus 200
### repository deny rules (generated: LargePolicy), two fresh servers warmed alike, measured back to back.
say "policy-size scenarios..."
java -cp "$bench" org.imagepolicy.bench.LargePolicy 0 0 "$work/small-policy.yaml"
java -cp "$bench" org.imagepolicy.bench.LargePolicy 1000 200 "$work/large-policy.yaml"
serve small 256m --policy "$work/small-policy.yaml" --offline; small_port=$port; small_pid=$webhook_pid
serve large 256m --policy "$work/large-policy.yaml" --offline; large_port=$port; large_pid=$webhook_pid; large_ready_ms=$ready_ms
for p in $small_port $large_port; do post "https://127.0.0.1:$p/validate" "$work/reviews/pod-3.json" 0 "$first_warm" >/dev/null; done
echo
echo "Policy size (3-container pod, each server its own fresh JVM, measured back to back; the large policy's server was ready in ${large_ready_ms} ms):"
echo
echo "| policy | req/s | p50 ms | p99 ms | p99.9 ms |"
echo "|---|---|---|---|---|"
small=$(post "https://127.0.0.1:$small_port/validate" "$work/reviews/pod-3.json" 0)
large=$(post "https://127.0.0.1:$large_port/validate" "$work/reviews/pod-3.json" 0)
for row in "2 rules:$small" "1,000 allow rules of 10 registries + 200 repository deny rules:$large"; do
  r=${row#*:}
  echo "| ${row%%:*} | $(field rps "$r") | $(field p50 "$r") | $(field p99 "$r") | $(field p999 "$r") |"
  [ "$(field non200 "$r")" = 0 ] || echo "  ($(field non200 "$r") answers were not 200)"
done
size_rps="$(field rps "$large") $(field rps "$small")"; size_p99="$(field p99 "$large") $(field p99 "$small")"
kill "$small_pid" "$large_pid"
### The decision log under a flood of denials: every pod denied and logged (JSON lines), to a file, then to a
### pipe read at 64 KiB/s (a log shipper falling behind); the same pods allowed (nothing logged) for comparison.
say "denial flood..."
cat >"$work/deny-all.yaml" <<POLICY
apiVersion: image.openshift.io/v1
kind: ImagePolicyConfig
executionRules:
- name: nothing-is-trusted
  onResources: [{resource: pods}]
  matchRegistries: [registry.invalid]
POLICY
flood_row() { # name result log-note
  echo "| $1 | $(field rps "$2") | $(field p50 "$2") | $(field p99 "$2") | $(field p999 "$2") | $(field requests "$2") sent: $(field denied "$2") denied, $(field errors "$2") errors | $3 |"
}
echo
echo "Decision log: one-container pods, ${seconds} s per run after a ${first_warm} s warm-up; machine load average at start $(cut -d' ' -f1 /proc/loadavg)."
echo
echo "| scenario | req/s | p50 ms | p99 ms | p99.9 ms | answers | log |"
echo "|---|---|---|---|---|---|---|"
serve allowed 256m --policy policies/trusted-registries.yaml --offline
post "https://127.0.0.1:$port/validate" "$work/reviews/pod-1.json" 0 "$first_warm" >/dev/null
r=$(post "https://127.0.0.1:$port/validate" "$work/reviews/pod-1.json" 0)
flood_row "allowed (nothing to log)" "$r" "-"
kill "$webhook_pid"
serve denied-file 256m --policy "$work/deny-all.yaml" --offline --log-format json
post "https://127.0.0.1:$port/validate" "$work/reviews/pod-1.json" 0 "$first_warm" >/dev/null
before=$(wc -l <"$work/denied-file.log")
r=$(post "https://127.0.0.1:$port/validate" "$work/reviews/pod-1.json" 0)
sleep 1
flood_row "all denied, JSON log to a file" "$r" "$(( $(wc -l <"$work/denied-file.log") - before )) lines written, $(metric "$health" decision_log_dropped_total) dropped"
kill "$webhook_pid"
# The slow reader: 8 KiB every 125 ms. The webhook writes into a FIFO it reads.
mkfifo "$work/slow-log"
python3 -c 'import sys, time
n = 0
while True:
    b = sys.stdin.buffer.read(8192)
    if not b: break
    n += len(b); time.sleep(0.125)
open(sys.argv[1], "w").write(str(n))' "$work/slow-log.bytes" <"$work/slow-log" &
pids+=($!)
port=$(free_port); health=$(free_port)
java -Xms256m -Xmx256m -jar "$jar" serve --host 127.0.0.1 --port "$port" --health-port "$health" --cert-dir "$work/certs" \
  --policy "$work/deny-all.yaml" --offline --log-format json >"$work/slow-log" 2>&1 &
pids+=($!); webhook_pid=$!
until curl -sf "http://127.0.0.1:$health/readyz" >/dev/null; do sleep 0.05; done
post "https://127.0.0.1:$port/validate" "$work/reviews/pod-1.json" 0 "$first_warm" >/dev/null
dropped_before=$(metric "$health" decision_log_dropped_total)
r=$(post "https://127.0.0.1:$port/validate" "$work/reviews/pod-1.json" 0)
flood_row "all denied, JSON log to a pipe read at 64 KiB/s" "$r" "$(( $(metric "$health" decision_log_dropped_total) - dropped_before )) dropped during the run (image_policy_decision_log_dropped_total)"
kill "$webhook_pid"

### Registry scenarios: docker-registry on loopback with $images images, and proxies in front of it.
say "registry scenarios: pushing $images images..."
mkdir -p "$work/registry"
keep_alive RegistryFixture "$work/registry" "$images" 2>"$work/registry.log"
until [ -f "$work/registry/fixture.env" ]; do sleep 0.2; grep -q Exception "$work/registry.log" && { cat "$work/registry.log" >&2; exit 1; }; done
# shellcheck disable=SC1091
. "$work/registry/fixture.env"
cat >"$work/labels.yaml" <<POLICY
apiVersion: image.openshift.io/v1
kind: ImagePolicyConfig
resolveImages: Required
executionRules:
- name: approved-images
  onResources:
  - resource: pods
  matchDockerImageLabels:
  - key: com.example.approved
    value: "true"
POLICY
# A 3 s tag TTL, so that refreshes and staleness happen within a run (the default is 60 s).
serve registry 256m --policy "$work/labels.yaml" --tag-ttl 3s --max-stale 10m --allow-registry-address 127.0.0.1 \
  --insecure-registry "$REGISTRY" --insecure-registry "$SLOW" --insecure-registry "$OUTAGE"
url="https://127.0.0.1:$port/validate"
hot=50   # the images of the warm scenarios

echo
echo "Registry scenarios: label rule (resolveImages: Required), docker-registry $(/usr/bin/docker-registry --version 2>/dev/null | awk '{print $3}') on loopback,"
echo "tag TTL 3 s; one-container pods, each of another image (of 50 when warm) but for the first row; cold runs end when their last new image is answered."
echo
echo "| scenario | req/s | p50 ms | p99 ms | p99.9 ms | answers | registry |"
echo "|---|---|---|---|---|---|---|"
row() { # name result registry-note
  echo "| $1 | $(field rps "$2") | $(field p50 "$2") | $(field p99 "$2") | $(field p999 "$2") | $(field requests "$2") sent: $(field non200 "$2") not 200, $(field denied "$2") denied, $(field warned "$2") warned | $3 |"
}

# Warm label checks, compared with nginx's answer (the same bytes): one image, so the body is fixed like
# nginx's and the generator costs the same on both sides (post.lua's per-request body costs wrk CPU).
sed "s#__IMAGE0__#$REGISTRY/bench/app-0:v1#" "$work/reviews/pod-1-template.json" >"$work/reviews/pod-1-labels.json"
post "$url" "$work/reviews/pod-1-labels.json" 0 "$first_warm" >/dev/null   # JIT warm-up
r=$(post "$url" "$work/reviews/pod-1-labels.json" 0)
n=$(post "https://127.0.0.1:$nginx_port/pod-1" "$work/reviews/pod-1.json" 0)   # the same answer, byte for byte
ratios+=("$(python3 -c "print($(field rps "$r")/$(field rps "$n"))")")
half=$(post "$url" "$work/reviews/pod-1-labels.json" $(( $(field rps "$r" | cut -d. -f1) / 2 )))
half_p99s+=("$(field p99 "$half")")
row "label rule, warm cache" "$r" "nginx $(field rps "$n") req/s: ratio $(ratio "$(field rps "$r")" "$(field rps "$n")"); half load $(field rps "$half") req/s, p99 $(field p99 "$half") ms"

# Cold: every request a new image (its tag, manifest and config fetched: three registry requests).
before=$(metric "$health" "responses_total{registry=\"$REGISTRY\"")
r=$(until_answered "$url" $((images - hot)) IMAGE_FORMAT="$REGISTRY/bench/app-%d:v1" FIRST=$hot COUNT=$((images - hot)))
after=$(metric "$health" "responses_total{registry=\"$REGISTRY\"")
row "cold lookups" "$r" "$((after - before)) requests for $((images - hot)) images"

# A registry answering in 200 ms: cold lookups wait for it; warm ones are refreshed ahead of expiry.
r=$(until_answered "$url" "$slow_cold" IMAGE_FORMAT="$SLOW/bench/app-%d:v1" COUNT="$slow_cold")
row "200 ms registry, cold" "$r" "each new image waits for 3 requests of 200 ms"
vary "$url" 2 IMAGE_FORMAT="$SLOW/bench/app-%d:v1" COUNT=$hot >/dev/null
before=$(metric "$health" "responses_total{registry=\"$SLOW\"")
r=$(vary "$url" "$seconds" IMAGE_FORMAT="$SLOW/bench/app-%d:v1" COUNT=$hot)
after=$(metric "$health" "responses_total{registry=\"$SLOW\"")
row "200 ms registry, warm" "$r" "$((after - before)) background refreshes during the run"

# Down: warm, then the registry's port refuses connections; digests are served stale, the breaker opens.
vary "$url" 2 IMAGE_FORMAT="$OUTAGE/bench/app-%d:v1" COUNT=$hot >/dev/null
touch "$work/registry/outage.down"; sleep 3.5   # past the tag TTL: every digest is now stale
r=$(vary "$url" "$seconds" IMAGE_FORMAT="$OUTAGE/bench/app-%d:v1" COUNT=$hot)
breaker=$(curl -s "http://127.0.0.1:$health/metrics" | awk -v k="breaker_open{registry=\"$OUTAGE\"" 'index($0, k) {split($0, p, "\""); print p[4]}')
row "registry down" "$r" "stale served $(metric "$health" "stale_served_total{registry=\"$OUTAGE\"") times; breaker $breaker"
rm -f "$work/registry/outage.down"
kill "$webhook_pid"

### Audit: 20,000 generated workloads (Deployments of two containers) sharing 300 of the fixture's images, label
### rule, warm cache file. The command's own wall time, JVM start and JIT warm-up included, and its steady rate.
say "audit of 20,000 workloads..."
audit_images=$(( images < 300 ? images : 300 ))
mkdir -p "$work/audit/workloads"
python3 - "$work/audit/workloads" "$REGISTRY" "$audit_images" <<'PY'
import sys
out, registry, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
for f in range(200):
    with open(f"{out}/team-{f:03d}.yaml", "w") as o:
        for i in range(100):
            n = f * 100 + i
            o.write(f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{n}, namespace: team-{f}}}\nspec:\n"
                    f"  replicas: 2\n  template:\n    metadata: {{labels: {{app: app-{n}}}}}\n    spec:\n      containers:\n"
                    f"      - name: app\n        image: {registry}/bench/app-{n % images}:v1\n"
                    f"        resources: {{limits: {{cpu: 500m, memory: 256Mi}}}}\n"
                    f"      - name: proxy\n        image: {registry}/bench/app-{(n + 1) % images}:v1\n")
PY
sed 's/- resource: pods/- resource: pods\n  - group: apps\n    resource: deployments/' "$work/labels.yaml" >"$work/audit/policy.yaml"
audit_run() {
  local started; started=$(date +%s%N)
  java -Xmx512m -jar "$jar" audit --policy "$work/audit/policy.yaml" --insecure-registry "$REGISTRY" --allow-registry-address 127.0.0.1 \
    --tag-ttl 1h --cache-file "$work/audit/cache.json" --quiet -o json="$work/audit/report.json" "$work/audit/workloads" >/dev/null 2>&1 || true
  audit_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
audit_run; cold_ms=$audit_ms          # fills the cache file
audit_run; warm_ms=$audit_ms          # every lookup from the cache file
audit_summary=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['objectsJudged'], s['elapsedMillis'], s['imagesResolved'])" "$work/audit/report.json")
read -r audit_objects audit_elapsed audit_resolved <<<"$audit_summary"
echo
echo "| audit, 20,000 workloads of $audit_images images | whole command | inside the run | objects/s inside the run |"
echo "|---|---|---|---|"
echo "| cold cache (registry lookups) | $cold_ms ms | | |"
echo "| warm cache file ($audit_resolved images from it) | $warm_ms ms | $audit_elapsed ms | $(( audit_objects * 1000 / (audit_elapsed > 0 ? audit_elapsed : 1) )) |"
echo "(The run's own time includes the JIT warming up: a 20,000-object run is too short to reach full speed.)"

### Heap: 100,000 images cached (2,000 repositories of 50 tags, 21 labels each), heap capped at 256 MiB.
heap_mib=""
if ! $quick; then
  say "heap with 100,000 cached images..."
  keep_alive SyntheticRegistry "$work/synthetic.port" 2>"$work/synthetic.log"
  until [ -f "$work/synthetic.port" ]; do sleep 0.1; done
  synthetic="127.0.0.1:$(cat "$work/synthetic.port")"
  # 63% of 256 MiB is the 160 MiB the 100,000 images need (the default 25% would hold about 40,000).
  serve heap 256m --policy "$work/labels.yaml" --allow-registry-address 127.0.0.1 --insecure-registry "$synthetic" --cache-max-heap-percent 63
  r=$(until_answered "https://127.0.0.1:$port/validate" 10000 REVIEW="$work/reviews/pod-10-template.json" \
    IMAGE_FORMAT="$synthetic/product-%d:9.4-%d" TAGS=50 COUNT=100000)
  tags=$(metric "$health" 'cache_entries{cache="tags"}'); cached=$(metric "$health" 'cache_entries{cache="images"}')
  jcmd "$webhook_pid" GC.run >/dev/null
  heap_kib=$(jcmd "$webhook_pid" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1)
  heap_mib=$((heap_kib / 1024))
  echo
  echo "Heap: $cached images and $tags tags cached (10,000 pods of 10 new images at $(field rps "$r") pods/s; $(field denied "$r") denied, $(field non200 "$r") not 200):"
  echo "$heap_mib MiB of heap in use after a full GC, resident $(( $(ps -o rss= -p "$webhook_pid") / 1024 )) MiB (heap capped at 256 MiB)."
  kill "$webhook_pid"
fi

jmh_us=""
if ! $quick; then
  say "JMH..."
  echo
  java -jar "$bench" DecisionBenchmark -prof gc -f 1 -wi 3 -i 5 -w 2s -r 2s -rf text -rff "$work/jmh.txt" >/dev/null
  grep -E "^DecisionBenchmark\.[a-zA-Z]+ |gc.alloc.rate.norm" "$work/jmh.txt" | grep -v "±.*NaN" || cat "$work/jmh.txt"
  # "DecisionBenchmark.fullDecision  3  avgt  5  18867.255 ± 3191.627  ns/op": the 3-container pod, in µs
  jmh_us=$(awk '$1 == "DecisionBenchmark.fullDecision" && $2 == 3 {printf "%.1f", $(NF-3) / 1000}' "$work/jmh.txt")
  # The decision (plan and evaluate) against rule count: 0 is the 2-rule baseline.
  java -jar "$bench" RuleCountBenchmark.decision -prof gc -f 1 -wi 3 -i 5 -w 2s -r 2s -rf text -rff "$work/jmh-rules.txt" >/dev/null
  echo
  grep -E "^RuleCountBenchmark\.decision |gc.alloc.rate.norm" "$work/jmh-rules.txt" || cat "$work/jmh-rules.txt"
fi

### The targets of the benchmark issue, each met or missed by how much.
echo
if $quick; then
  echo "Targets (--quick: 3 s runs on a JIT warmed for 3 s, the label rule's server hardly at all; judge targets on the full run):"
else
  echo "Targets:"
fi
python3 - "$offline_ready_ms" "${heap_mib:-}" "${jmh_us:-}" "${ratios[*]}" "${half_p99s[*]}" "$size_rps" "$size_p99" <<'PY'
import sys
ready, heap, jmh, ratios, p99s, size_rps, size_p99 = sys.argv[1:8]
large_rps, small_rps = (float(v) for v in size_rps.split())
large_p99, small_p99 = (float(v) for v in size_p99.split())
ratios = [float(r) for r in ratios.split()]
p99s = [float(p) for p in p99s.split()]
def report(name, value, target, unit, higher_is_better=False, fmt="{:.2f}"):
    if value is None:
        print(f"- {name}: not measured in --quick mode")
        return
    met = value >= target if higher_is_better else value <= target
    gap = abs(value - target)
    print(f"- {name}: {fmt.format(value)}{unit} (target {'at least' if higher_is_better else 'under'} {fmt.format(target)}{unit}): "
          + ("met" if met else f"MISSED by {fmt.format(gap)}{unit}"))
report("cache-hit throughput, worst scenario, share of the nginx ceiling", 100 * min(ratios), 60, "%", True, "{:.0f}")
report("p99 at half the saturating load, worst scenario", max(p99s), 2, " ms")
report("full decision, 3-container pod (JMH)", float(jmh) if jmh else None, 20, " µs", fmt="{:.1f}")
report("heap after GC with 100,000 cached images", float(heap) if heap else None, 256, " MiB", fmt="{:.0f}")
report("ready to serve after start", int(ready) / 1000, 2, " s")
report("1,200-rule policy's throughput, share of the 2-rule policy's", 100 * large_rps / small_rps, 90, "%", True, "{:.0f}")
report("1,200-rule policy's p99, share of the 2-rule policy's", 100 * large_p99 / small_p99, 110, "%", fmt="{:.0f}")
PY
