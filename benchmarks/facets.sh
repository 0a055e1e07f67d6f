#!/usr/bin/env bash
# Search latency with the search page's source and year facets (issue 20) against the commit before
# them (there is no switch to turn them off): both Release builds over copies of one database, on
# 127.0.0.1 only, alternating runs of /search over the dev queries and pages 1-50 with a unique
# parameter per request (never the output cache), 1 connection so latency is not queueing.
# Prints each run's median and p99 latency and the median of the medians per build.
# Caveat: the base has no NEWSARCHIVE_NO_OUTPUT_CACHE, and the nonce is not a vary key, so a
# (query, page) pair repeated within 30 s is a cache hit in both builds: keep a run under the 1,000
# pairs' worth of requests (1 connection, short runs), or cherry-pick that switch onto the base.
# Usage: benchmarks/facets.sh DB_FILE [BASE_COMMIT=f8ea653^] [SECONDS_PER_RUN=5] [ROUNDS=3]
set -euo pipefail
db_src=$1; base=${2:-f8ea653^}; seconds=${3:-5}; rounds=${4:-3}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
port=5097
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  git -C "$root" worktree remove --force "$work/base" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null 2>&1
declare -A dll=([facets]="$root" [base]="$work/base")
for b in facets base; do
  dotnet build -c Release "${dll[$b]}/src/NewsArchive.Web" >/dev/null
  mkdir -p "$work/$b"
  cp "$db_src" "$work/$b/bench.db"
  index_src="${db_src%.db}.index.db"
  if [ -f "$index_src" ]; then cp "$index_src" "$work/$b/bench.index.db"; fi
done
start() { # build → server pid in $server, ready
  Archive__Database="$work/$1/bench.db" Archive__SeedsPath="$work/$1/seeds" Logging__LogLevel__Default=Warning \
    dotnet "${dll[$1]}/src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll" --urls "http://127.0.0.1:$port" >>"$work/server-$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 1; done
  echo "server $1 did not start" >&2; exit 1
}
run() { # → "median_ms p99_ms"
  wrk -t1 -c1 -d"${seconds}s" --timeout 10s --latency -s "$root/benchmarks/wrk/search-mix.lua" "http://127.0.0.1:$port" -- /search nocache \
    | awk '$1=="50%" {m=$2} $1=="99%" {p=$2} END {print m, p}'
}
: >"$work/results"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order="base facets"; else order="facets base"; fi
  for b in $order; do
    start "$b"
    run >/dev/null # warm-up: JIT and the page cache
    read -r median p99 < <(run)
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    echo "round=$r build=$b median=$median p99=$p99" | tee -a "$work/results"
  done
done
python3 - "$work/results" <<'PY'
import statistics, sys
def ms(v):  # wrk prints 812.00us, 3.41ms or 1.02s
    for unit, f in (("us", 0.001), ("ms", 1), ("s", 1000)):
        if v.endswith(unit):
            return float(v[: -len(unit)]) * f
runs = {}
for line in open(sys.argv[1]):
    d = dict(kv.split("=", 1) for kv in line.split())
    runs.setdefault(d["build"], []).append(ms(d["median"]))
a, b = statistics.median(runs["base"]), statistics.median(runs["facets"])
print(f"median of medians: base {a:.2f} ms, facets {b:.2f} ms, ratio {b / a:.2f}")
PY
