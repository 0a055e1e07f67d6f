#!/usr/bin/env bash
# Alternating A/B of /api/search on one SQLite archive: both builds serve it at once (ports 5391 and
# 5392); each round asks every query of A, then of B (the order swapped every other round), with
# size = 10 + round: a parameter the endpoint reads, so the output cache never answers. The
# engine's count cache does (a query's total is counted once per process, as in production).
# Prints each build's median and 90th percentile in ms over all requests, and per query.
# Usage: benchmarks/search-ab.sh BUILD_A BUILD_B DB [ROUNDS]
#   BUILD_x: a Release output folder (dotnet build -c Release src/NewsArchive.Web -o /tmp/bench/x)
set -euo pipefail
a=$1 b=$2 db=$3 rounds=${4:-30}
queries=(美国 拜登 香港 "\"human rights\"" "疫苗 -美国" "特朗普 OR 川普" "title:台湾" 2021年 china 的)
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$out"' EXIT
port=5391
for build in "$a" "$b"; do
  Archive__Database="$db" dotnet "$build/NewsArchive.Web.dll" serve --urls "http://127.0.0.1:$port" >"$out/$port.log" 2>&1 &
  pids+=($!)
  port=$((port + 1))
done
for port in 5391 5392; do
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; done
  for q in "${queries[@]}"; do curl -s -o /dev/null -G "http://127.0.0.1:$port/api/search" --data-urlencode "q=$q" -d size=5; done
done
for r in $(seq "$rounds"); do
  order=(5391 5392)
  [ $((r % 2)) -eq 0 ] && order=(5392 5391)
  for port in "${order[@]}"; do
    for q in "${queries[@]}"; do
      curl -s -o /dev/null -w "$port\t$q\t%{http_code}\t%{time_total}\n" -G "http://127.0.0.1:$port/api/search" \
        --data-urlencode "q=$q" -d size=$((10 + r)) >>"$out/times.tsv"
    done
  done
done
python3 - "$out/times.tsv" "$a" "$b" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
bad = [r for r in rows if r[2] != "200"]
assert not bad, bad[:3]
names = {"5391": sys.argv[2], "5392": sys.argv[3]}
def fig(xs):
    xs = sorted(xs)
    return f"median {statistics.median(xs) * 1000:.1f} ms, p90 {xs[int(len(xs) * 0.9)] * 1000:.1f} ms (n={len(xs)})"
for port in ("5391", "5392"):
    print(f"{names[port]}: {fig([float(r[3]) for r in rows if r[0] == port])}")
for q in dict.fromkeys(r[1] for r in rows):
    print(q, *(f"{statistics.median(float(r[3]) for r in rows if r[0] == p and r[1] == q) * 1000:.1f}" for p in ("5391", "5392")), sep="\t")
EOF
