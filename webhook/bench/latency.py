#!/usr/bin/env python3
"""Summarises an h2load --log-file for run.sh: h2load prints no percentiles, so they come from its log.

    latency.py LOG [SKIP_SECONDS]

LOG rows are tab-separated: the request's start (µs since the epoch), its HTTP status, its duration (µs).
SKIP_SECONDS leaves out the requests started in that many seconds after the first (connections opening). Prints one RESULT line in
post.lua's format plus `offered`: the rate at which requests were started (what the generator really
offered: with HTTP/1.1 a client waits for its answer before it starts the next one, so a slow answer
lowers it), and `span`, the seconds between the first and the last start.
"""
import math
import sys

rows = []
with open(sys.argv[1]) as log:
    for line in log:
        parts = line.split("\t")
        if len(parts) >= 3:
            rows.append((int(parts[0]), int(parts[1]), int(parts[2])))
skip = float(sys.argv[2]) if len(sys.argv) > 2 else 0
if rows and skip > 0:
    since = min(r[0] for r in rows) + int(skip * 1e6)
    rows = [r for r in rows if r[0] >= since]
if len(rows) < 2:
    print("RESULT rps=0 offered=0 p50=0 p99=0 p999=0 requests=%d errors=0 non200=%d span=0" % (len(rows), len(rows)))
    sys.exit(0)
starts = sorted(r[0] for r in rows)
span = (starts[-1] - starts[0]) / 1e6
ends = max(r[0] + r[2] for r in rows)
durations = sorted(r[2] / 1000 for r in rows)


def percentile(p):
    # nearest rank
    return durations[max(0, min(len(durations) - 1, math.ceil(p / 100 * len(durations)) - 1))]


non200 = sum(1 for r in rows if r[1] != 200)
print("RESULT rps=%.0f offered=%.0f p50=%.3f p99=%.3f p999=%.3f requests=%d errors=0 non200=%d span=%.3f"
      % (len(rows) / ((ends - starts[0]) / 1e6), (len(rows) - 1) / span if span > 0 else 0,
         percentile(50), percentile(99), percentile(99.9), len(rows), non200, span))
