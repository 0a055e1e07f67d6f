#!/usr/bin/env bash
# Export throughput (rows/s) of /export.csv and /export.jsonl: a Release build over a copy of an
# archive, on 127.0.0.1 only, rate limits off; each export is read to the end by curl and its rows
# counted (CSV records after the header; JSON Lines lines). Prints every run and the median per format.
# Usage: benchmarks/export.sh DB_FILE [QUERY=的] [ROUNDS=5] [EXTRA=] (EXTRA: more parameters, e.g. "&text=1")
set -euo pipefail
db_src=$1; query=${2:-的}; rounds=${3:-5}; extra=${4:-}
root=$(cd "$(dirname "$0")/.." && pwd)
port=5098
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
dotnet build -c Release "$root/src/NewsArchive.Web" >/dev/null
cp "$db_src" "$work/bench.db"
index_src="${db_src%.db}.index.db"
if [ -f "$index_src" ]; then cp "$index_src" "$work/bench.index.db"; fi
Archive__Database="$work/bench.db" Archive__SeedsPath="$work/no-seeds" Archive__RateLimits__Enabled=false Logging__LogLevel__Default=Warning \
  dotnet "$root/src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
: >"$work/results"
for format in csv jsonl; do
  url="http://127.0.0.1:$port/export.$format?q=$q&sort=newest$extra"
  curl -sf -o /dev/null "$url" # warm-up: JIT and the page cache
  for r in $(seq 1 "$rounds"); do
    seconds=$(curl -sf -o "$work/out" -w '%{time_total}' "$url")
    if [ "$format" = csv ]; then
      rows=$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' "$work/out")
    else
      rows=$(grep -vc '^{"truncated"' "$work/out")
    fi
    echo "$format rows=$rows seconds=$seconds rows_per_s=$(python3 -c "print(round($rows / $seconds))")" | tee -a "$work/results"
  done
done
python3 - "$work/results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    fmt, *kv = line.split()
    runs.setdefault(fmt, []).append(float(dict(x.split("=") for x in kv)["rows_per_s"]))
for fmt, v in runs.items():
    print(f"{fmt}: median {statistics.median(v):,.0f} rows/s over {len(v)} runs")
PY
