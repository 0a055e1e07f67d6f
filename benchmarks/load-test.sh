#!/usr/bin/env bash
# Load test (loopback only, bounded): the Release app over a copy of a database, 64 connections of
# mixed reads (home, articles, search, API) for DURATION seconds; halfway through, new seed files are
# dropped into the watched seeds folder, so the ingest service writes while readers read.
# Reports requests/s, latency percentiles, non-2xx and socket errors, and the server's RSS at
# start, middle and end.
# Usage: benchmarks/load-test.sh DB_FILE SEED_SOURCE_DIR [DURATION_SECONDS=600]
set -euo pipefail
db_src=$1; seeds_src=$2; duration=${3:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$db_src" "$work/load.db"
# The search index beside it (without it, the app rebuilds it from the articles at start-up).
index_src="${db_src%.db}.index.db"
if [ -f "$index_src" ]; then cp "$index_src" "$work/load.index.db"; fi
mkdir -p "$work/seeds"
dotnet build -c Release "$root/src/NewsArchive.Web" >/dev/null
Archive__Database="$work/load.db" Archive__SeedsPath="$work/seeds" Logging__LogLevel__Default=Warning \
  dotnet "$root/src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll" --urls http://127.0.0.1:5099 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5099/healthz >/dev/null && break; sleep 1; done
curl -s "http://127.0.0.1:5099/api/articles?size=100" | python3 -c "import json,sys; print('\n'.join(r['id'] for r in json.load(sys.stdin)['results']))" >"$work/ids"
for p in 2 3 4; do curl -s "http://127.0.0.1:5099/api/articles?size=100&page=$p" | python3 -c "import json,sys; print('\n'.join(r['id'] for r in json.load(sys.stdin)['results']))" >>"$work/ids"; done
rss() { ps -o rss= -p "$server" | tr -d ' '; }
echo "rss_start_kb=$(rss)"
(
  sleep $((duration / 2))
  echo "rss_middle_kb=$(rss)"
  # New articles arrive while readers read: distinct URLs, so every one is an insert.
  python3 "$root/benchmarks/make-corpus.py" "$seeds_src" "$work/incoming" 2 >/dev/null
  mv "$work/incoming/copy01" "$work/seeds/"
  echo "dropped $(find "$work/seeds" -type f | wc -l) files into the watched folder"
) &
wrk -t2 -c64 -d"${duration}s" --timeout 10s --latency -s "$root/benchmarks/wrk/load-mix.lua" http://127.0.0.1:5099 -- "$work/ids"
echo "rss_end_kb=$(rss)"
echo "articles_after=$(curl -s 'http://127.0.0.1:5099/api/articles?size=1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
grep -ciE "fail|exception|busy|locked" "$work/server.log" | sed 's/^/server_log_problems=/' || true
