#!/usr/bin/env bash
# Load harness: the real webhook (jar, HTTPS, generated certificate) against nginx answering the same
# AdmissionReview response over the same certificate, on the same machine: saturation over HTTP/1.1 (wrk) and
# HTTP/2 (h2load), and latency at a constant offered rate of half the saturating one (h2load --rps); then a
# policy of 1,200 generated rules against one of 2; the decision log under a flood of denials; the registry
# scenarios against Debian's docker-registry on loopback (cold, 200 ms, down); the first 10 s of a fresh
# JVM under half load; a burst of 200 new images on a just-started JVM and a steady offer of new images
# against a registry answering in 200 ms (plain HTTP/1.1, and TLS offering HTTP/2); an audit; the heap
# with 100,000 cached images; the JMH hot path. Ends with each target: met, or missed by how much.
#
#   webhook/bench/run.sh [--quick]     (--quick: about 3 minutes once built, short runs; skips the heap and JMH)
#   REBUILD=1 webhook/bench/run.sh     (rebuild the jars first; they are built when missing)
#   SECTIONS=cold,first10 webhook/bench/run.sh   (only these sections, in the order below; the targets block
#       then covers what they measured). Sections: cachehits size flood registry first10 cold audit heap jmh
#   FIRST10_PROTO=h1 (first10 over HTTP/1.1; default h2)   COLD_RATE=N (new images offered a second; default 150)
#   FIRST10_JAVA_OPTS="-XX:SharedArchiveFile=F" FIRST10_SERVE_ARGS="--warm-up 0s" (first10's JVM options and serve arguments)
#
# The full run took 42 minutes on 2 cores shared with other work (most of it 20 s measurements and JIT warm-ups).
# Needs: java, mvn, wrk, h2load, nginx and docker-registry
# (Debian: apt-get install wrk nghttp2-client nginx-light docker-registry).
# Prints markdown tables on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true
seconds=$($quick && echo 2 || echo 20)
floor_seconds=$($quick && echo 2 || echo 10)   # nginx's paced runs, the latency floor beside each half-load figure
warm=$($quick && echo 1 || echo 5)
first_warm=$($quick && echo 3 || echo 15)     # the JIT, before anything is measured: C2 needs ~20 s of load here
images=$($quick && echo 300 || echo 1000)      # pushed to the local registry; each cold lookup uses a new one
slow_cold=$($quick && echo 32 || echo 160)     # cold admissions through the 200 ms registry, 16 connections
burst=200                                       # new images at once on a just-started JVM
cold_rate=${COLD_RATE:-150}                     # new images offered per second in the steady cold runs
cold_steady=$($quick && echo 100 || echo 750)   # how many (after the burst's 200: images must hold both)
connections=16                                  # wrk's, and h2load's HTTP/1.1 clients
h2_clients=4; h2_streams=4                      # HTTP/2 saturation: 16 requests in flight, as wrk's 16 connections
paced_streams=100                               # HTTP/2 paced runs: room for answers outstanding (an open loop)
all_sections="cachehits size flood registry first10 cold audit heap jmh"
sections=${SECTIONS:-$($quick && echo "cachehits size flood registry first10 cold audit" || echo "$all_sections")}
sections=" ${sections//,/ } "
for s in $sections; do [[ " $all_sections " == *" $s "* ]] || { echo "unknown section $s (sections: $all_sections)" >&2; exit 2; }; done
want() { [[ "$sections" == *" $1 "* ]]; }

# shellcheck source=webhook/bench/common.sh
. webhook/bench/common.sh
require "apt-get install wrk nghttp2-client nginx-light docker-registry (and Java 17, Maven)" java mvn wrk h2load nginx curl python3
ensure_jars

workspace ipw-bench
say() { echo "$*" >&2; }
ratio() { python3 -c "print(f'{$1/$2:.0%}' if $2 else 'n/a (nothing answered)')"; }

# serve NAME HEAP ARGS...: starts the jar, waits for /readyz, sets $port $health and ${ready_ms}.
serve() {
  local name=$1 heap=$2; shift 2
  port=$(free_port); health=$(free_port)
  local started; started=$(date +%s%N)
  java -Xms"$heap" -Xmx"$heap" -jar "$jar" serve --host 127.0.0.1 --port "$port" --health-port "$health" \
    --cert-dir "$work/certs" --shutdown-delay 0s "$@" >"$work/$name.log" 2>&1 &
  pids+=($!); webhook_pid=$!
  until curl -sf "http://127.0.0.1:$health/readyz" >/dev/null; do
    kill -0 "$webhook_pid" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
# post URL REVIEW RATE [SECONDS]: fixed review, post.lua -> RESULT line (RATE 0: saturation; wrk's own pacing
# is whole milliseconds per connection, so the paced figures come from h2load: see paced)
post() {
  REVIEW="$2" RATE="$3" CONNECTIONS=$connections wrk -t1 -c$connections -d"${4:-$seconds}"s -s webhook/bench/post.lua "$1" 2>&1 | grep '^RESULT' || true
}
# h2sat URL REVIEW [SECONDS]: HTTP/2 saturation with h2load ($h2_clients connections x $h2_streams streams) -> RESULT
h2sat() {
  rm -f "$work/h2load.log"   # h2load appends to its log file
  h2load -c$h2_clients -m$h2_streams -D "${3:-$seconds}" -d "$2" -H 'content-type: application/json' \
    --log-file "$work/h2load.log" "$1" >"$work/h2load.out" 2>&1 || true
  python3 webhook/bench/latency.py "$work/h2load.log" 0.5
}
# paced PROTO URL REVIEW RATE [SECONDS] [SKIP]: a constant offered rate (requests per second for the whole run)
# from h2load --rps, over HTTP/1.1 ($connections clients, one request in flight each) or HTTP/2 ($h2_clients
# connections, up to $paced_streams streams each) -> RESULT line with `offered`, the rate really started.
paced() {
  local proto=$1 url=$2 review=$3 rate=$4 secs=${5:-$seconds} skip=${6:-0.5}
  paced_command "$proto" "$url" "$review" "$rate" "$secs" "$work/paced.log"
  rm -f "$work/paced.log"   # h2load appends to its log file
  "${h2cmd[@]}" >"$work/paced.out" 2>&1 || true
  python3 webhook/bench/latency.py "$work/paced.log" "$skip"
}
# paced_command PROTO URL REVIEW RATE SECONDS LOG: sets the array h2cmd (h2load --rps is per client).
paced_command() {
  local clients shape
  if [ "$1" = h1 ]; then clients=$connections; shape=(--h1 -c"$clients" -m1); else clients=$h2_clients; shape=(-c"$clients" -m$paced_streams); fi
  h2cmd=(h2load "${shape[@]}" --rps "$(python3 -c "print($4 / $clients)")" -D "$5" -d "$3" -H 'content-type: application/json' --log-file "$6" "$2")
}
# half_cell RESULT WANTED: sets $half_text to the paced run's figures if it offered within 5% of WANTED, else to
# "not measured"; and $half_ok (true/false) and $half_offered. (Not in $(...): its variables would be lost.)
half_cell() {
  half_offered=$(field offered "$1")
  if python3 -c "import sys; sys.exit(0 if abs($half_offered - $2) <= 0.05 * $2 else 1)"; then
    half_ok=true
    half_text="$half_offered req/s offered: p50 $(field p50 "$1"), p99 $(field p99 "$1"), p99.9 $(field p999 "$1") ms"
  else
    half_ok=false
    half_text="not measured (offered $half_offered req/s, wanted $2)"
  fi
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

# target NAME VALUE OP GOAL UNIT [FORMAT]: one line of the targets block (OP: ">=" or "<"), kept for the end.
target() {
  python3 - "$@" >>"$work/targets.txt" <<'PY'
import sys
name, value, op, goal, unit = sys.argv[1:6]
fmt = sys.argv[6] if len(sys.argv) > 6 else "{:.2f}"
value, goal = float(value), float(goal)
met = value >= goal if op == ">=" else value < goal
print(f"- {name}: {fmt.format(value)}{unit} (target {'at least' if op == '>=' else 'under'} {fmt.format(goal)}{unit}): "
      + ("met" if met else f"MISSED by {fmt.format(abs(value - goal))}{unit}"))
PY
}
# untargeted NAME WHY: a target this run could not judge.
untargeted() { echo "- $1: $2" >>"$work/targets.txt"; }
: >"$work/targets.txt"

# need_nginx: nginx answering each cache-hit scenario with the webhook's own answer, byte for byte, on the same
# certificate (a short-lived offline server makes the answers), once per run; sets $nginx_port.
nginx_port=""
need_nginx() {
  [ -n "$nginx_port" ] && return
  serve answers 256m --policy policies/trusted-registries.yaml --offline
  nginx_port=$(free_port)
  mkdir -p "$work/nginx"
  {
    echo "worker_processes auto; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;"
    echo "events { worker_connections 4096; }"
    # http2_body_preread_size 0: nginx 1.22 takes the request bodies it discards after `return` for an HTTP/2
    # flood once they reach about 2 KB and resets the connection (the 10-container pod's 3.9 KB got no answer at
    # all); with no preread window the client never sends the body. So nginx's HTTP/2 ceiling does not receive
    # the body the webhook must read: the HTTP/2 ratios are conservative.
    echo "http { access_log off; client_body_temp_path $work/nginx; keepalive_requests 10000000; http2_body_preread_size 0;"
    echo "  server { listen 127.0.0.1:$nginx_port ssl http2; ssl_certificate $work/certs/tls.crt; ssl_certificate_key $work/certs/tls.key;"
    echo "    ssl_protocols TLSv1.2 TLSv1.3; client_max_body_size 4m; default_type application/json;"
    for s in "${all_scenarios[@]}"; do
      curl -s --cacert "$work/certs/ca.crt" -H 'Content-Type: application/json' --data-binary "@$work/reviews/$s.json" \
        "https://localhost:$port/validate" >"$work/nginx/$s.answer"
      echo "    location = /$s { return 200 '$(sed "s/'/\\\\'/g" "$work/nginx/$s.answer")'; }"
    done
    echo "  } }"
  } >"$work/nginx/nginx.conf"
  kill "$webhook_pid"
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
  pids+=($(cat "$work/nginx/nginx.pid"))
}

# The label rule of the registry, cold, audit and heap sections.
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

# need_registry: docker-registry with $images images and its proxies (RegistryFixture), once per run.
registry_up=false
need_registry() {
  $registry_up && return
  say "pushing $images images to the local registry..."
  mkdir -p "$work/registry"
  keep_alive RegistryFixture "$work/registry" "$images" 2>"$work/registry.log"
  until [ -f "$work/registry/fixture.env" ]; do sleep 0.2; grep -q Exception "$work/registry.log" && { cat "$work/registry.log" >&2; exit 1; }; done
  # shellcheck disable=SC1091
  . "$work/registry/fixture.env"
  registry_up=true
}

h1_ratios=(); h2_ratios=()   # "scenario:webhook/nginx", for the targets
# Saturating rates measured in this run, by protocol and review, for first10's half load.
declare -A saturating=()

java -cp "$bench" org.imagepolicy.bench.Reviews "$work/reviews"
all_scenarios=(pod-1 pod-3 pod-10 deployment cronjob build)
scenarios=("${all_scenarios[@]}")
$quick && scenarios=(pod-1 pod-3 deployment)
echo "image-policy-webhook load benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
echo "sections:$sections; machine load average at start $(cut -d' ' -f1 /proc/loadavg)"

### Cache hits: the shipped registry allow-list (registry rules only), one event loop per core. Saturation over
### HTTP/1.1 (wrk) and HTTP/2 (h2load: the API server calls webhooks over HTTP/2), each against nginx; then
### each protocol at a constant offered rate of half the webhook's saturating rate (h2load --rps).
if want cachehits; then
  say "cache-hit scenarios..."
  need_nginx
  serve offline 256m --policy policies/trusted-registries.yaml --offline
  offline_port=$port; offline_ready_ms=$ready_ms
  # Warm both servers up (the JIT, TLS session machinery) before anything is measured.
  post "https://127.0.0.1:$offline_port/validate" "$work/reviews/pod-3.json" 0 "$first_warm" >/dev/null
  h2sat "https://127.0.0.1:$offline_port/validate" "$work/reviews/pod-3.json" "$warm" >/dev/null
  for s in "${scenarios[@]}"; do
    post "https://127.0.0.1:$offline_port/validate" "$work/reviews/$s.json" 0 "$warm" >/dev/null
    $quick || post "https://127.0.0.1:$nginx_port/$s" "$work/reviews/$s.json" 0 "$warm" >/dev/null   # nginx has no JIT to warm
  done

  h1_rows=(); h2_rows=(); half_rows=()
  for s in "${scenarios[@]}"; do
    say "  $s"
    url="https://127.0.0.1:$offline_port/validate"; review="$work/reviews/$s.json"
    w=$(post "$url" "$review" 0); n=$(post "https://127.0.0.1:$nginx_port/$s" "$review" 0)
    w2=$(h2sat "$url" "$review"); n2=$(h2sat "https://127.0.0.1:$nginx_port/$s" "$review")
    wr=$(field rps "$w"); nr=$(field rps "$n"); wr2=$(field rps "$w2"); nr2=$(field rps "$n2")
    saturating[h1:$s]=$wr; saturating[h2:$s]=$wr2
    # A generator that got no answer at all (rate 0) leaves its ratio out: the row says so, the targets skip it.
    python3 -c "import sys; sys.exit(0 if $nr else 1)" && h1_ratios+=("$s:$(python3 -c "print($wr/$nr)")")
    python3 -c "import sys; sys.exit(0 if $nr2 else 1)" && h2_ratios+=("$s:$(python3 -c "print($wr2/$nr2)")")
    h1_rows+=("| $s | $wr | $(field p50 "$w") | $(field p99 "$w") | $(field p999 "$w") | $nr | $(ratio "$wr" "$nr") |")
    h2_rows+=("| $s | $wr2 | $(field p50 "$w2") | $(field p99 "$w2") | $(field p999 "$w2") | $nr2 | $(ratio "$wr2" "$nr2") |")
    for r in "$w" "$w2"; do [ "$(field non200 "$r")" = 0 ] || h1_rows+=("  ($s: $(field non200 "$r") answers were not 200)"); done
    cells=""
    for proto in h1 h2; do
      sat=${saturating[$proto:$s]}; want_rate=$(python3 -c "print(round($sat / 2))")
      r=$(paced "$proto" "$url" "$review" "$want_rate")
      half_cell "$r" "$want_rate"; cells+=" $half_text |"
      # nginx at the same offered rate: the floor the generator and the machine put under any server's p99.
      floor=$(paced "$proto" "https://127.0.0.1:$nginx_port/$s" "$review" "$want_rate" "$floor_seconds")
      cells+=" $(field p99 "$floor") |"
      if $half_ok; then
        echo "$s over $proto:$(field p99 "$r")" >>"$work/half-p99s"
      else
        echo "$s over $proto:not measured (offered $half_offered req/s, wanted $want_rate)" >>"$work/half-p99s"
      fi
    done
    half_rows+=("| $s |$cells")
  done
  rss=$(ps -o rss= -p "$webhook_pid" | xargs)
  kill "$webhook_pid"
  echo
  echo "Cache hits over HTTP/1.1: wrk -t1 -c$connections on the same cores, keep-alive over TLS, ${seconds}s per run; webhook ready in ${offline_ready_ms} ms"
  echo
  echo "| scenario | webhook req/s | p50 ms | p99 ms | p99.9 ms | nginx req/s | ratio |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${h1_rows[@]}"
  echo
  echo "Cache hits over HTTP/2: h2load -c$h2_clients -m$h2_streams (16 requests in flight, like wrk's 16 connections), ${seconds}s per run"
  echo
  echo "| scenario | webhook req/s | p50 ms | p99 ms | p99.9 ms | nginx req/s | ratio |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${h2_rows[@]}"
  echo
  echo "At half load: h2load --rps offering half the webhook's saturating rate of the same protocol for ${seconds}s (percentiles from"
  echo "its per-request log, the first 0.5 s left out); HTTP/1.1 over $connections connections, HTTP/2 over $h2_clients connections of up to"
  echo "$paced_streams streams. A run whose offered rate is not within 5% of the rate wanted is not measured."
  echo
  echo "Beside each, nginx's p99 at the same offered rate (${floor_seconds}s): the floor that the generator and the machine put under"
  echo "any server's p99."
  echo
  echo "| scenario | HTTP/1.1 at half load | nginx p99 ms | HTTP/2 at half load | nginx p99 ms |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${half_rows[@]}"
  echo
  echo "webhook resident memory after the runs: $((rss / 1024)) MiB (heap capped at 256 MiB)"
fi

### Policy size: the same pod under a 2-rule policy and under 1,000 allow rules of 10 registries plus 200
### repository deny rules (generated: LargePolicy), two fresh servers warmed alike, measured back to back.
if want size; then
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
target "1,200-rule policy's throughput, share of the 2-rule policy's" "$(python3 -c "print(100 * $(field rps "$large") / $(field rps "$small"))")" ">=" 90 "%" "{:.0f}"
target "1,200-rule policy's p99, share of the 2-rule policy's" "$(python3 -c "print(100 * $(field p99 "$large") / $(field p99 "$small"))")" "<" 110 "%" "{:.0f}"
kill "$small_pid" "$large_pid"
fi

### The decision log under a flood of denials: every pod denied and logged (JSON lines), to a file, then to a
### pipe read at 64 KiB/s (a log shipper falling behind); the same pods allowed (nothing logged) for comparison.
if want flood; then
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
fi

### Registry scenarios: docker-registry on loopback with $images images, and proxies in front of it.
if want registry; then
need_registry; need_nginx
say "registry scenarios..."
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
r2=$(h2sat "$url" "$work/reviews/pod-1-labels.json")
n2=$(h2sat "https://127.0.0.1:$nginx_port/pod-1" "$work/reviews/pod-1.json")
h1_ratios+=("label rule, warm:$(python3 -c "print($(field rps "$r")/$(field rps "$n"))")")
h2_ratios+=("label rule, warm:$(python3 -c "print($(field rps "$r2")/$(field rps "$n2"))")")
label_half=""
for proto in h1 h2; do
  sat=$([ $proto = h1 ] && field rps "$r" || field rps "$r2"); want_rate=$(python3 -c "print(round($sat / 2))")
  half=$(paced "$proto" "$url" "$work/reviews/pod-1-labels.json" "$want_rate")
  half_cell "$half" "$want_rate"; label_half+="; $proto half load $half_text"
  if $half_ok; then
    echo "label rule, warm, over $proto:$(field p99 "$half")" >>"$work/half-p99s"
  else
    echo "label rule, warm, over $proto:not measured (offered $half_offered req/s, wanted $want_rate)" >>"$work/half-p99s"
  fi
done
row "label rule, warm cache (HTTP/1.1)" "$r" "nginx $(field rps "$n") req/s: ratio $(ratio "$(field rps "$r")" "$(field rps "$n")")$label_half"
echo "| label rule, warm cache (HTTP/2, h2load) | $(field rps "$r2") | $(field p50 "$r2") | $(field p99 "$r2") | $(field p999 "$r2") | $(field requests "$r2") sent: $(field non200 "$r2") not 200 (h2load reads no bodies) | nginx $(field rps "$n2") req/s: ratio $(ratio "$(field rps "$r2")" "$(field rps "$n2")") |"

# Cold: every request a new image (its tag, manifest and config fetched: three registry requests).
before=$(metric "$health" "responses_total{registry=\"$REGISTRY\"")
r=$(until_answered "$url" $((images - hot)) IMAGE_FORMAT="$REGISTRY/bench/app-%d:v1" FIRST=$hot COUNT=$((images - hot)))
after=$(metric "$health" "responses_total{registry=\"$REGISTRY\"")
row "cold lookups" "$r" "$((after - before)) requests for $((images - hot)) images"

# A registry answering in 200 ms: cold lookups wait for it; warm ones are refreshed ahead of expiry.
r=$(until_answered "$url" "$slow_cold" IMAGE_FORMAT="$SLOW/bench/app-%d:v1" COUNT="$slow_cold")
row "200 ms registry, cold, 16 connections" "$r" "at most 16 pods in flight, each waiting for its registry requests of 200 ms (see the cold section)"
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
fi

### The first 10 seconds after ready: a fresh JVM, /readyz polled every 2 ms, and the moment it first answers 200
### a constant half load (half the saturating rate measured earlier in this run for the same review and protocol:
### HTTP/2 by default, as the API server calls webhooks; FIRST10_PROTO=h1 for HTTP/1.1) for 10 s.
if want first10; then
  say "first 10 s after ready..."
  f10_proto=${FIRST10_PROTO:-h2}; f10_review=pod-1
  f10_sat=${saturating[$f10_proto:$f10_review]:-}
  f10_note="half the saturating rate measured in the cache-hit table"
  if [ -z "$f10_sat" ]; then   # the cache-hit section did not run: measure the saturating rate here, on a warmed server
    serve f10-saturation 256m --policy policies/trusted-registries.yaml --offline
    post "https://127.0.0.1:$port/validate" "$work/reviews/pod-3.json" 0 "$first_warm" >/dev/null
    if [ "$f10_proto" = h1 ]; then r=$(post "https://127.0.0.1:$port/validate" "$work/reviews/$f10_review.json" 0)
    else r=$(h2sat "https://127.0.0.1:$port/validate" "$work/reviews/$f10_review.json"); fi
    f10_sat=$(field rps "$r"); kill "$webhook_pid"
    f10_note="half the saturating rate of a server warmed ${first_warm} s, measured in this section"
  fi
  f10_rate=$(python3 -c "print(round($f10_sat / 2))")
  # first10_run LABEL HOW JAVA_OPTS: one fresh JVM, its first 10 s after ready.
  first10_run() {
  local f10_label=$1 f10_how=$2 f10_java_opts=$3
  rm -f "$work/first10.ready" "$work/first10.log"
  port=$(free_port); health=$(free_port)
  paced_command "$f10_proto" "https://127.0.0.1:$port/validate" "$work/reviews/$f10_review.json" "$f10_rate" 10 "$work/first10.log"
  started_us=$(date +%s%6N)
  # shellcheck disable=SC2086
  java -Xms256m -Xmx256m $f10_java_opts -jar "$jar" serve --host 127.0.0.1 --port "$port" --health-port "$health" \
    --cert-dir "$work/certs" --policy policies/trusted-registries.yaml --offline ${FIRST10_SERVE_ARGS:-} >"$work/first10-server.log" 2>&1 &
  pids+=($!); webhook_pid=$!
  # The poller becomes h2load (exec) the moment /readyz first answers 200, so no process start lies between them.
  python3 - "$health" "$webhook_pid" "$work/first10.ready" "${h2cmd[@]}" >"$work/first10.out" 2>&1 <<'PY' || true
import http.client, os, sys, time
health, pid, ready_file, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
deadline = time.time() + 60
while time.time() < deadline:
    try:
        c = http.client.HTTPConnection("127.0.0.1", health, timeout=0.5)
        c.request("GET", "/readyz")
        if c.getresponse().status == 200:
            open(ready_file, "w").write(str(time.time_ns() // 1000))
            sys.stdout.flush()
            os.execvp(command[0], command)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the webhook exited before it was ready")
    time.sleep(0.002)
sys.exit("not ready within 60 s")
PY
  kill "$webhook_pid" 2>/dev/null || true
  echo
  if [ ! -s "$work/first10.ready" ]; then
    cat "$work/first10.out" "$work/first10-server.log" >&2
    echo "First 10 s after ready: the webhook never became ready (see its log)."
    untargeted "first 10 s after ready ($f10_label), p99" "not measured: the webhook never became ready"
  else
    f10_ready_ms=$(( ($(cat "$work/first10.ready") - started_us) / 1000 ))
    r=$(python3 webhook/bench/latency.py "$work/first10.log" 0)
    r1=$(python3 - "$work/first10.log" <<'PY'
import sys
rows = [tuple(int(v) for v in l.split("\t")[:3]) for l in open(sys.argv[1]) if l.count("\t") >= 2]
first = min(r[0] for r in rows)
d = sorted(r[2] / 1000 for r in rows if r[0] < first + 1_000_000)
print(f"{d[min(len(d) - 1, max(0, -(-99 * len(d) // 100) - 1))]:.3f} {first}")
PY
)
    gap_ms=$(python3 -c "print(round(($(echo "$r1" | cut -d' ' -f2) - $(cat "$work/first10.ready")) / 1000, 1))")
    half_cell "$r" "$f10_rate"; cell=$half_text
    echo "First 10 s after ready, $f10_how ($f10_proto, $f10_review; $f10_note, $f10_rate req/s): ready ${f10_ready_ms} ms after java started;"
    echo "the first request went out ${gap_ms} ms after /readyz first answered 200."
    echo
    echo "| first 10 s | answers | not 200 | p50 ms | p99 ms | p99.9 ms | p99 of the first second, ms |"
    echo "|---|---|---|---|---|---|---|"
    if $half_ok; then
      echo "| $cell | $(field requests "$r") | $(field non200 "$r") | $(field p50 "$r") | $(field p99 "$r") | $(field p999 "$r") | ${r1%% *} |"
      target "first 10 s after ready ($f10_label), p99 at half load" "$(field p99 "$r")" "<" 10 " ms"
    else
      echo "| $cell | $(field requests "$r") | $(field non200 "$r") | | | | |"
      echo "(The generator was held back by answers outstanding: with $paced_streams streams per connection in flight it could not"
      echo "offer the rate, which itself says the webhook did not keep up.)"
      untargeted "first 10 s after ready ($f10_label), p99 at half load" "$cell"
    fi
    target "first 10 s ($f10_label): ready after java started" "$(python3 -c "print($f10_ready_ms / 1000)")" "<" 2 " s"
  fi
  }
  # As the image runs it (the Dockerfile's class-data-sharing archive, written by the same script) and as the
  # README's start command runs it (java -jar, no archive). FIRST10_JAVA_OPTS adds options to both.
  HEALTH_PORT=$(free_port) docker/cds-archive.sh "$jar" "$work/first10.jsa" policies >&2
  first10_run "image" "as the container image runs it (class-data archive from docker/cds-archive.sh)" \
    "-XX:SharedArchiveFile=$work/first10.jsa ${FIRST10_JAVA_OPTS:-}"
  first10_run "java -jar" "as java -jar runs it (no class-data archive)" "${FIRST10_JAVA_OPTS:-}"
fi

### Cold lookups against a registry answering in 200 ms, on just-started JVMs under resolveImages: Required and a
### label rule: a burst of 200 new images at once (200 one-image pods, each another image, over HTTP/2), then new
### images offered at $cold_rate a second (an open loop). Once through the plain HTTP/1.1 proxy, once through
### the TLS one offering HTTP/2 by ALPN (trusted through --registry-certs, as a real registry's CA would be).
if want cold; then
  need_registry
  say "cold lookups through the 200 ms registry..."
  [ "$images" -ge $((burst + cold_steady)) ] || cold_steady=$((images - burst))
  cold_rows=()
  for variant in "plain HTTP/1.1:$SLOW" "TLS, h2 and http/1.1 by ALPN:$SLOW_TLS"; do
    name=${variant%%:*}; reg=${variant#*:}
    if [ "$reg" = "$SLOW" ]; then access=(--insecure-registry "$reg"); else access=(--registry-certs "$work/registry/certs.d"); fi
    serve "cold-${reg##*:}" 256m --policy "$work/labels.yaml" --allow-registry-address 127.0.0.1 "${access[@]}"
    url="https://127.0.0.1:$port/validate"; cold_ready=$ready_ms
    before=$(metric "$health" "responses_total{registry=\"$reg\"")
    b=$(java -cp "$bench" org.imagepolicy.bench.ColdBurst "$url" "$work/reviews/pod-1-template.json" "$reg/bench/app-%d:v1" 0 "$burst" 0 h2 2>>"$work/cold.err" | grep '^RESULT' || true)
    mid=$(metric "$health" "responses_total{registry=\"$reg\"")
    c=$(java -cp "$bench" org.imagepolicy.bench.ColdBurst "$url" "$work/reviews/pod-1-template.json" "$reg/bench/app-%d:v1" "$burst" "$cold_steady" "$cold_rate" h2 2>>"$work/cold.err" | grep '^RESULT' || true)
    after=$(metric "$health" "responses_total{registry=\"$reg\"")
    kill "$webhook_pid"
    cold_rows+=("| $name: burst of $burst at once, JVM ready ${cold_ready} ms before | $(field rps "$b") images/s ($(field elapsed "$b") s to answer all) | $(field p50 "$b") | $(field p99 "$b") | $(field max "$b") | $(field denied "$b") denied, $(field non200 "$b") not 200 or failed | $((mid - before)) |")
    cold_rows+=("| $name: $cold_steady offered at $cold_rate/s | $(field admitting "$c") images/s admitted ($(field answering "$c")/s answered) | $(field p50 "$c") | $(field p99 "$c") | $(field max "$c") | $(field denied "$c") denied, $(field non200 "$c") not 200 or failed | $((after - mid)) |")
    target "cold burst, $name: pods denied or not answered 200 of $burst" "$(( $(field denied "$b") + $(field non200 "$b") ))" "<" 1 "" "{:.0f}"
    target "cold lookups, $name: new images a second admitted at an offer of $cold_rate/s" "$(field admitting "$c")" ">=" 100 "/s" "{:.0f}"
    [ "$(field denied "$c")" = 0 ] && [ "$(field non200 "$c")" = 0 ] || \
      echo "- cold lookups, $name: $(field denied "$c") denied and $(field non200 "$c") not 200 while offered $cold_rate/s" >>"$work/targets.txt"
  done
  echo
  echo "Cold lookups: label rule (resolveImages: Required), each JVM just started; every pod one container of an image"
  echo "not seen before, through a proxy adding 200 ms to every registry request. Latency counts from the moment a pod was due."
  echo
  echo "| scenario | rate | p50 ms | p99 ms | max ms | answers | registry requests |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${cold_rows[@]}"
  grep -m3 DENIED "$work/cold.err" | cut -c1-300 | sed 's/^/  /' || true
fi

if want audit; then
need_registry
### Audit: 20,000 generated workloads (Deployments of two containers) sharing 300 of the fixture's images, label
### rule (resolveImages: Required), against the fixture's docker-registry: a cold run filling a cache file, then a
### warm one reading it, each the whole command (JVM start, JIT warm-up) by wall clock and by CPU time (user + sys
### of the process, steadier on a shared machine); then the same audit 10 times in one JVM (AuditRate), the median
### of the last 5 giving the steady rate per CPU-second with a warm JIT.
audit_row() {
  say "audit of 20,000 workloads..."
  local audit_images=$(( images < 300 ? images : 300 ))
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
  audit_args=(audit --policy "$work/audit/policy.yaml" --insecure-registry "$REGISTRY" --allow-registry-address 127.0.0.1
    --tag-ttl 1h --lookup-timeout 60s --cache-file "$work/audit/cache.json" --quiet -o json="$work/audit/report.json" "$work/audit/workloads")
  audit_run; local cold_ms=$audit_ms cold_cpu=$audit_cpu_ms    # fills the cache file
  audit_run; local warm_ms=$audit_ms warm_cpu=$audit_cpu_ms    # every lookup from the cache file
  local summary objects elapsed resolved
  summary=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['objectsJudged'], s['elapsedMillis'], s['imagesResolved'])" "$work/audit/report.json")
  read -r objects elapsed resolved <<<"$summary"
  if [ "$objects" != 20000 ] || [ "$resolved" != "$audit_images" ]; then
    echo "audit row: judged $objects objects and resolved $resolved images, expected 20000 and $audit_images" >&2
    head -c 2000 "$work/audit/stderr" >&2
    exit 1
  fi
  # The same command 10 times in one JVM, the cache file warm: the steady rate once the JIT has compiled the path.
  java -Xmx512m -cp "$bench" org.imagepolicy.bench.AuditRate 10 20000 "${audit_args[@]}" >"$work/audit/rate.txt"
  local steady_cpu steady_wall
  steady_cpu=$(tail -n 5 "$work/audit/rate.txt" | sed 's/.*cpu_ms=\([0-9]*\).*/\1/' | sort -n | sed -n 3p)
  steady_wall=$(tail -n 5 "$work/audit/rate.txt" | sed 's/.*wall_ms=\([0-9]*\).*/\1/' | sort -n | sed -n 3p)
  echo
  echo "| audit, 20,000 workloads of $audit_images images | wall clock | CPU (user + sys) | objects per CPU-second |"
  echo "|---|---|---|---|"
  echo "| whole command, cold (registry lookups fill the cache file) | $cold_ms ms | $cold_cpu ms | $(( 20000 * 1000 / cold_cpu )) |"
  echo "| whole command, warm cache file ($resolved images from it) | $warm_ms ms (in the run: $elapsed ms) | $warm_cpu ms | $(( 20000 * 1000 / warm_cpu )) |"
  echo "| warm JIT and cache file (median of runs 6 to 10 in one JVM) | $steady_wall ms | $steady_cpu ms | $(( 20000 * 1000 / steady_cpu )) |"
  echo "(CPU counts every thread: the parsers, the judging thread, the JIT and the collector. The whole command includes the"
  echo "JVM's start and the JIT's warm-up: a 20,000-object run is too short to reach full speed.)"
}
# audit_run: the audit command once; sets $audit_ms (wall) and $audit_cpu_ms (user + sys), fails loudly unless it exits 0 or 1.
audit_run() {
  local started status=0; started=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$work/audit/time" java -Xmx512m -jar "$jar" "${audit_args[@]}" >/dev/null 2>"$work/audit/stderr" || status=$?
  audit_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  if [ "$status" -gt 1 ]; then
    echo "audit exited $status:" >&2
    cat "$work/audit/stderr" >&2
    exit 1
  fi
  audit_cpu_ms=$(awk 'END {printf "%d", ($1 + $2) * 1000}' "$work/audit/time")
}
audit_row
fi

### Heap: 100,000 images cached (2,000 repositories of 50 tags, 21 labels each), heap capped at 256 MiB.
heap_mib=""
if want heap; then
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
if want jmh; then
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
for entry in "${h1_ratios[@]}"; do
  target "cache-hit throughput over HTTP/1.1, ${entry%:*}, share of nginx's" "$(python3 -c "print(100 * ${entry##*:})")" ">=" 80 "%" "{:.0f}"
done
for entry in "${h2_ratios[@]}"; do
  target "cache-hit throughput over HTTP/2, ${entry%:*}, share of nginx's" "$(python3 -c "print(100 * ${entry##*:})")" ">=" 80 "%" "{:.0f}"
done
if [ -f "$work/half-p99s" ]; then
  while IFS= read -r line; do
    name=${line%:*}; value=${line##*:}
    case "$value" in
      not*) untargeted "p99 at a paced half load, $name" "$value" ;;
      *) target "p99 at a paced half load, $name" "$value" "<" 2 " ms" ;;
    esac
  done <"$work/half-p99s"
fi
[ -z "${offline_ready_ms:-}" ] || target "cache-hit server ready after java started" "$(python3 -c "print($offline_ready_ms / 1000)")" "<" 2 " s"
[ -z "$jmh_us" ] || target "full decision, 3-container pod (JMH)" "$jmh_us" "<" 20 " µs" "{:.1f}"
if [ -n "$heap_mib" ]; then
  if [ "${cached%.*}" -ge 95000 ]; then target "heap after GC with 100,000 cached images" "$heap_mib" "<" 256 " MiB" "{:.0f}"
  else untargeted "heap after GC with 100,000 cached images" "not measured: only $cached images were cached ($(field denied "$r") pods denied while filling)"; fi
fi
echo
if $quick; then
  echo "Targets (--quick: 2 s runs on a JIT warmed for 3 s, the label rule's server hardly at all; judge targets on the full run):"
else
  echo "Targets:"
fi
cat "$work/targets.txt"
