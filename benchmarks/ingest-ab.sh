#!/usr/bin/env bash
# Alternating A/B of a dev-corpus ingest into a fresh database, files/s as the command reports it.
# Usage: benchmarks/ingest-ab.sh BUILD_A BUILD_B [PAIRS] [CORPUS]
#   BUILD_x: a Release output folder (dotnet build -c Release src/NewsArchive.Web -o /tmp/bench/x),
#   optionally with ingest options after it, quoted: "/tmp/bench/x --no-stories"
set -euo pipefail
a=$1 b=$2 pairs=${3:-3} corpus=${4:-/tmp/dev}
for i in $(seq "$pairs"); do
  for build in "$a" "$b"; do
    read -r dir options <<<"$build"
    db=$(mktemp -d)/ab.db
    # shellcheck disable=SC2086 # the options are words
    /usr/bin/time -f "wall=%e user=%U" dotnet "$dir/NewsArchive.Web.dll" ingest "$corpus" --db "$db" $options 2>&1 \
      | grep -E "files/s|wall=" | tr '\n' ' ' | sed "s|^|$build: |"
    echo
    rm -rf "$(dirname "$db")"
  done
done
