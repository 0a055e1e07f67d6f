#!/usr/bin/env python3
"""Plain search, two builds A/B: /api/search for every dev query, uncached, over HTTP on 127.0.0.1.

Each build serves its own database (ingested by that build: the schema differs between sessions).
A round starts a fresh server per build (order alternating by round: A B, B A, …), output cache
off (NEWSARCHIVE_NO_OUTPUT_CACHE=1) and rate limits off, warms it with every query under a filter
from=2000-01-01 (the same postings and code paths, another key of SearchEngine's count cache), then
times each query once per sort (relevance, newest), first page of 20: so every timed request misses
both the output cache and the count cache. Prints, per build and sort, the median over queries of
each query's median over rounds, the worst such median and the slowest single request, and B/A.
Usage: flock /tmp/na-cpu.lock benchmarks/search-ab.py A_DLL A_DB B_DLL B_DB [ROUNDS=6] [QUERIES=../shared/eval/queries-dev.tsv]
"""
import os, statistics, subprocess, sys, time, urllib.parse, urllib.request

a_dll, a_db, b_dll, b_db = sys.argv[1:5]
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 6
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared beside the clone, or NEWSARCHIVE_SHARED, as the tests find it.
shared = os.environ.get("NEWSARCHIVE_SHARED") or os.path.join(root, "..", "shared")
queries_path = sys.argv[6] if len(sys.argv) > 6 else os.path.join(shared, "eval", "queries-dev.tsv")
queries = [l.rstrip("\n").split("\t") for l in open(queries_path, encoding="utf-8") if l.strip() and not l.startswith("#")]
queries = [(f[0], f[2]) for f in queries]
port = 5399
base = f"http://127.0.0.1:{port}"
env = dict(os.environ, NEWSARCHIVE_NO_OUTPUT_CACHE="1", Logging__LogLevel__Default="Warning")
builds = {"A": (a_dll, a_db), "B": (b_dll, b_db)}
sorts = ["relevance", "newest"]


def get(path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=30) as r:
        r.read()
        assert r.status == 200, r.status
    return (time.perf_counter() - start) * 1000


def url(q, sort, extra=""):
    return f"/api/search?q={urllib.parse.quote(q)}&sort={sort}{extra}"


def run(dll, db):
    server = subprocess.Popen(["dotnet", dll, "--urls", base, f"--Archive:Database={db}",
                               "--Archive:SeedsPath=/nonexistent-search-ab", "--Archive:RateLimits:Enabled=false"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                get("/healthz")
                break
            except OSError:
                time.sleep(0.25)
        for _ in range(2):
            for _, q in queries:
                for s in sorts:
                    get(url(q, s, "&from=2000-01-01"))
        return {(qid, s): get(url(q, s)) for qid, q in queries for s in sorts}
    finally:
        server.terminate()
        server.wait()


times = {"A": [], "B": []}
for r in range(rounds):
    for name in ("AB" if r % 2 == 0 else "BA"):
        times[name].append(run(*builds[name]))
        print(f"round {r + 1} {name} done", file=sys.stderr)

print(f"{len(queries)} queries, {rounds} rounds per build; A={a_dll} on {a_db}; B={b_dll} on {b_db}")
summary = {}
for s in sorts:
    for name in "AB":
        per_query = [statistics.median(run_[(qid, s)] for run_ in times[name]) for qid, _ in queries]
        slowest = max(run_[(qid, s)] for run_ in times[name] for qid, _ in queries)
        summary[name, s] = statistics.median(per_query)
        print(f"{s:9} {name}: median of medians {statistics.median(per_query):.1f} ms, worst median {max(per_query):.1f} ms, slowest {slowest:.1f} ms")
    print(f"{s:9} B/A (median of medians): {summary['B', s] / summary['A', s]:.2f}")
for qid, q in queries:
    row = " ".join(f"{statistics.median(run_[(qid, s)] for run_ in times[n]):6.1f}" for s in sorts for n in "AB")
    print(f"{qid} {row}  {q}")
