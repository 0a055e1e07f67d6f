#!/usr/bin/env bash
# The media figures of issue 19: the ingest rate with the image fetcher running against without,
# the fetch rate from a loopback origin, and the store's size per image.
#
#   bash benchmarks/media-fetch.sh [SEEDS] [RUNS]
#
# SEEDS (default /tmp/dev): a seed corpus; its image URLs are pointed at a local origin
# (media-origin.py on 127.0.0.1) by media-corpus.py. Each run starts the site on a fresh database
# with an empty seeds folder, then times an `ingest` of the corpus into that database while the site
# runs: arm "off" with Archive:Media:Fetch=false, arm "on" with the fetcher on and the origin allowed.
# The arms alternate. "on" then waits for the queue to empty and reports the fetch rate.
# PER_HOST and CONCURRENCY set Archive:Media:PerHost and :Concurrency (defaults 2 and 4: the
# origin is one host, so PerHost bounds the fetch rate); PER_MINUTE sets :PerHostPerMinute (default
# here 0, no budget: the figures are the fetcher's, not the budget's).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-/tmp/dev}
runs=${2:-3}
port=18090
site=18091
work=$(mktemp -d /tmp/media-bench.XXXX)
dll=src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll
dotnet build -c Release -v q src/NewsArchive.Web >/dev/null
python3 benchmarks/media-corpus.py "$seeds" "$work/seeds" $port
mkdir -p "$work/empty"
python3 benchmarks/media-origin.py $port & origin=$!
trap 'kill $origin 2>/dev/null; kill $server 2>/dev/null; rm -rf "$work"' EXIT
server=0

run() { # arm n
  local arm=$1 db="$work/$1-$2.db" fetch=false
  [ "$arm" = on ] && fetch=true
  Archive__Database=$db Archive__SeedsPath=$work/empty Archive__Media__Fetch=$fetch \
    Archive__Media__Allow__0=127.0.0.1:$port Archive__Media__PerHost=${PER_HOST:-2} \
    Archive__Media__Concurrency=${CONCURRENCY:-4} Archive__Media__PerHostPerMinute=${PER_MINUTE:-0} \
    Archive__RateLimits__Enabled=false \
    dotnet $dll --urls http://127.0.0.1:$site >"$work/site.log" 2>&1 & server=$!
  until curl -sf http://127.0.0.1:$site/healthz >/dev/null; do sleep 0.2; done
  curl -s http://127.0.0.1:$port/_reset >/dev/null
  local t0 t1
  t0=$(date +%s.%N)
  dotnet $dll ingest "$work/seeds" --db "$db" >"$work/ingest.log" 2>&1
  t1=$(date +%s.%N)
  local files
  files=$(find "$work/seeds" -type f | wc -l)
  printf '%s run %s: ingest %.1f s, %.0f files/s' "$arm" "$2" "$(echo "$t1 - $t0" | bc)" "$(echo "$files / ($t1 - $t0)" | bc -l)"
  if [ "$arm" = on ]; then
    while [ "$(sqlite3 "$db" "select count(*) from media where state in ('queued','fetching')")" != 0 ]; do sleep 0.2; done
    local t2 stored failed bytes disk
    t2=$(date +%s.%N)
    read -r stored bytes < <(sqlite3 -separator ' ' "$db" "select count(*), sum(size) from media where state='stored'")
    failed=$(sqlite3 "$db" "select count(*) from media where state='failed'")
    disk=$(du -sk "${db%.db}.media" | cut -f1)
    printf '; %s images stored (%s failed) %.1f s after the ingest began: %.0f images/s; %.0f KB per image (content %.0f KB)' \
      "$stored" "$failed" "$(echo "$t2 - $t0" | bc)" "$(echo "$stored / ($t2 - $t0)" | bc -l)" \
      "$(echo "$disk / $stored" | bc -l)" "$(echo "$bytes / 1024 / $stored" | bc -l)"
    printf '; URLs the origin served more than once: %s' "$(curl -s http://127.0.0.1:$port/_stats |
      python3 -c 'import json,sys; print(sum(1 for v in json.load(sys.stdin).values() if v > 1))')"
  fi
  echo
  [ "$arm" = on ] && sqlite3 "$db" "select '  failed: ' || count(*) || ' ' || last_error from media where state='failed' group by last_error order by count(*) desc limit 5"
  [ "$arm" = on ] && curl -s http://127.0.0.1:$port/_stats | python3 -c 'import json,sys; [print("  served twice:", k) for k, v in list(json.load(sys.stdin).items()) if v > 1][:3]' | head -3
  kill $server; wait $server 2>/dev/null || true
  rm -rf "$db"* "${db%.db}".*
}

for n in $(seq "$runs"); do run off "$n"; run on "$n"; done
echo "done ($runs runs per arm)"
