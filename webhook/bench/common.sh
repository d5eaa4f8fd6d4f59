# Shell helpers shared by run.sh and soak.sh, sourced from the project root.

# workspace PREFIX: a scratch directory ($work), and the processes started into $pids stopped on exit.
workspace() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  trap stop_all EXIT
}
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }

# keep_alive CLASS ARGS...: a bench main that runs until its stdin closes, which happens when the sourcing
# script exits however it exits (the pipe's write end is its alone); the registry such a main starts dies with it.
keep_alive() {
  local fifo; fifo="$work/stdin-$1"
  mkfifo "$fifo"
  java -cp "$bench" "org.imagepolicy.bench.$@" <"$fifo" >/dev/null &
  pids+=($!)
  exec {hold}>"$fifo"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# field NAME RESULT-LINE: one value of post.lua's RESULT line.
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# metric HEALTH-PORT TEXT: the sum of the webhook's metric samples whose line contains TEXT.
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v k="$2" '!/^#/ && index($0, k) {s += $NF} END {print s + 0}'; }

# require HINT TOOL...: exits 2 naming the first tool missing, with HINT (what to install).
require() {
  local hint=$1; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool: $hint" >&2; exit 2; }
  done
  [ -x /usr/bin/docker-registry ] || { echo "missing /usr/bin/docker-registry: apt-get install docker-registry" >&2; exit 2; }
}

# ensure_jars: the webhook's and the benchmarks' jars, built when missing or when REBUILD=1 (after changing code).
jar=webhook/target/image-policy-webhook.jar
bench=webhook/bench/target/benchmarks.jar
ensure_jars() {
  if [ ! -f "$jar" ] || [ ! -f "$bench" ] || [ "${REBUILD:-0}" = 1 ]; then
    mvn -B -q -DskipTests package
  fi
}
