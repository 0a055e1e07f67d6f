#!/usr/bin/env bash
# Script view cost (issue 20): the Release app over a copy of a database, on 127.0.0.1 only; the
# same Simplified article page as written and in Taiwan Traditional, the home list and a search page,
# each under script=original and script=hant-tw (the cookie), rounds alternating A/B, the output
# cache off (NEWSARCHIVE_NO_OUTPUT_CACHE=1), so every request renders its page. Prints each run's requests/s and the median per page and script.
# Usage: benchmarks/script-view.sh DB_FILE [SECONDS_PER_RUN=20] [ROUNDS=3]
set -euo pipefail
db_src=$1; seconds=${2:-20}; rounds=${3:-3}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
port=5098
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$db_src" "$work/bench.db"
index_src="${db_src%.db}.index.db"
if [ -f "$index_src" ]; then cp "$index_src" "$work/bench.index.db"; fi
dotnet build -c Release "$root/src/NewsArchive.Web" >/dev/null
NEWSARCHIVE_NO_OUTPUT_CACHE=1 Archive__Database="$work/bench.db" Archive__SeedsPath="$work/seeds" Logging__LogLevel__Default=Warning \
  dotnet "$root/src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
id=$(curl -s "http://127.0.0.1:$port/api/articles?size=1&lang=zh-Hans" | python3 -c "import json,sys; print(json.load(sys.stdin)['results'][0]['id'])")
pages=("/a/$id" "/" "/search?q=%E7%BE%8E%E5%9B%BD")
run() { # path script → requests/s
  wrk -t2 -c32 -d"${seconds}s" --timeout 10s -s "$root/benchmarks/wrk/script-view.lua" "http://127.0.0.1:$port" -- "$1" "$2" \
    | awk '/Non-2xx/ {bad=1} /Requests\/sec/ {r=$2} END {print bad ? "non-2xx" : r}'
}
# Warm-up: the first requests pay for JIT, the OpenCC tables and the conversion cache.
for p in "${pages[@]}"; do run "$p" hant-tw >/dev/null; run "$p" original >/dev/null; done
: >"$work/results"
for r in $(seq 1 "$rounds"); do
  for p in "${pages[@]}"; do
    # A/B order alternates by round, so neither always runs on a warmer machine.
    if [ $((r % 2)) -eq 1 ]; then order="original hant-tw"; else order="hant-tw original"; fi
    for s in $order; do
      rps=$(run "$p" "$s")
      echo "round=$r page=$p script=$s rps=$rps" | tee -a "$work/results"
    done
  done
done
python3 - "$work/results" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    d = dict(kv.split("=", 1) for kv in line.split())
    runs.setdefault((d["page"], d["script"]), []).append(float(d["rps"]))
for page in dict.fromkeys(p for p, _ in runs):
    a, b = statistics.median(runs[(page, "original")]), statistics.median(runs[(page, "hant-tw")])
    print(f"{page}: original {a:,.0f} req/s, hant-tw {b:,.0f} req/s, ratio {b / a:.2f}")
PY
