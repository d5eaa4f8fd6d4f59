#!/usr/bin/env bash
# Load harness: the real webhook (jar, HTTPS, generated certificate) against nginx answering the same
# AdmissionReview response over the same certificate, driven by wrk on the same machine.
#
#   webhook/bench/run.sh [--quick]     (--quick: under 2 minutes once built; the full run adds JMH and longer runs)
#   REBUILD=1 webhook/bench/run.sh     (rebuild the jars first; they are built when missing)
#
# Needs: java, mvn, wrk and nginx (Debian: apt-get install wrk nginx-light). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

quick=false
[ "${1:-}" = "--quick" ] && quick=true
seconds=$($quick && echo 4 || echo 20)
warm=$($quick && echo 1 || echo 5)
connections=16

for tool in java mvn wrk nginx; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install wrk nginx-light (and Java 17, Maven)" >&2; exit 2; }
done

jar=webhook/target/image-policy-webhook.jar
bench=webhook/bench/target/benchmarks.jar
if [ ! -f "$jar" ] || [ ! -f "$bench" ] || [ "${REBUILD:-0}" = 1 ]; then   # REBUILD=1 after changing code
  mvn -B -q -DskipTests package
fi

work=$(mktemp -d /tmp/ipw-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); health=$(free_port); nginx_port=$(free_port)

java -cp "$bench" org.imagepolicy.bench.Reviews "$work/reviews"
scenarios=(pod-1 pod-3 pod-10 deployment cronjob build)

# The webhook on the shipped registry allow-list (registry rules only: the cache-hit path), one event loop per core.
started=$(date +%s%N)
java -Xms256m -Xmx256m -jar "$jar" serve --policy policies/trusted-registries.yaml --host 127.0.0.1 --port "$port" --health-port "$health" \
  --cert-dir "$work/certs" --offline >"$work/webhook.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$health/readyz" >/dev/null; do sleep 0.05; done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))

# nginx answers each scenario with the webhook's own answer, byte for byte, on the same certificate.
mkdir -p "$work/nginx"
{
  echo "worker_processes auto; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; client_body_temp_path $work/nginx; keepalive_requests 10000000;"
  echo "  server { listen 127.0.0.1:$nginx_port ssl http2; ssl_certificate $work/certs/tls.crt; ssl_certificate_key $work/certs/tls.key;"
  echo "    ssl_protocols TLSv1.2 TLSv1.3; client_max_body_size 4m; default_type application/json;"
  for s in "${scenarios[@]}"; do
    curl -s --cacert "$work/certs/ca.crt" -H 'Content-Type: application/json' --data-binary "@$work/reviews/$s.json" \
      "https://localhost:$port/validate" >"$work/nginx/$s.answer"
    echo "    location = /$s { return 200 '$(sed "s/'/\\\\'/g" "$work/nginx/$s.answer")'; }"
  done
  echo "  } }"
} >"$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
pids+=($(cat "$work/nginx/nginx.pid"))

load() { # url review rate -> RESULT line
  REVIEW="$2" RATE="$3" CONNECTIONS=$connections wrk -t1 -c$connections -d${seconds}s -s webhook/bench/post.lua "$1" 2>&1 | grep '^RESULT' || true
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# Warm both servers up (the JIT, TLS session machinery) before anything is measured.
REVIEW="$work/reviews/pod-3.json" RATE=0 CONNECTIONS=$connections wrk -t1 -c$connections -d5s -s webhook/bench/post.lua \
  "https://127.0.0.1:$port/validate" >/dev/null 2>&1
for s in "${scenarios[@]}"; do
  REVIEW="$work/reviews/$s.json" RATE=0 CONNECTIONS=$connections wrk -t1 -c$connections -d${warm}s -s webhook/bench/post.lua \
    "https://127.0.0.1:$port/validate" >/dev/null 2>&1
  REVIEW="$work/reviews/$s.json" RATE=0 CONNECTIONS=$connections wrk -t1 -c$connections -d${warm}s -s webhook/bench/post.lua \
    "https://127.0.0.1:$nginx_port/$s" >/dev/null 2>&1
done

echo "image-policy-webhook load benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
echo "wrk -t1 -c$connections on the same cores, HTTP/1.1 keep-alive over TLS, ${seconds}s per run; webhook ready in ${ready_ms} ms"
echo
echo "| scenario | webhook req/s | p50 ms | p99 ms | p99.9 ms | nginx req/s | ratio | at half load: req/s, p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
for s in "${scenarios[@]}"; do
  w=$(load "https://127.0.0.1:$port/validate" "$work/reviews/$s.json" 0)
  n=$(load "https://127.0.0.1:$nginx_port/$s" "$work/reviews/$s.json" 0)
  wr=$(field rps "$w"); nr=$(field rps "$n")
  half=$(load "https://127.0.0.1:$port/validate" "$work/reviews/$s.json" $(( ${wr%.*} / 2 )))
  ratio=$(python3 -c "print(f'{$wr/$nr:.0%}')")
  echo "| $s | $wr | $(field p50 "$w") | $(field p99 "$w") | $(field p999 "$w") | $nr | $ratio | $(field rps "$half"), $(field p99 "$half") |"
  [ "$(field non200 "$w")" = 0 ] || echo "  ($s: $(field non200 "$w") answers were not 200)"
done
rss=$(ps -o rss= -p "${pids[0]}" | xargs)
echo
echo "webhook resident memory after the runs: $((rss / 1024)) MiB (heap capped at 256 MiB)"

if ! $quick; then
  echo
  java -jar "$bench" DecisionBenchmark -prof gc -f 1 -wi 3 -i 5 -w 2s -r 2s -rf text -rff "$work/jmh.txt" >/dev/null
  grep -E "^DecisionBenchmark\.[a-zA-Z]+ |gc.alloc.rate.norm" "$work/jmh.txt" | grep -v "±.*NaN" || cat "$work/jmh.txt"
fi
