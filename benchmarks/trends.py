#!/usr/bin/env python3
"""Latency of /trends for five common terms over all years (issue: term timelines).

Starts the Release build over DB_FILE on 127.0.0.1 (output cache off, rate limits off), then times
GET /trends?q=…×5 with 1 client, RUNS times per mode, and prints the median and the slowest:
  cold: each run's from= is another day of January of FIRST_YEAR (before the archive's first
        article, so every year is in the range), which no cache (output or count) has seen;
  warm: the same URL each run: the counts from SearchEngine's cache, the page rendered again.
Usage: flock /tmp/na-cpu.lock benchmarks/trends.py DB_FILE [FIRST_YEAR=2014] [RUNS=15] [DLL]
(build first: dotnet build -c Release src/NewsArchive.Web; DLL: another build's NewsArchive.Web.dll,
for an A/B against a copy of this one's output)
"""
import os, statistics, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

db = sys.argv[1]
first_year = int(sys.argv[2]) if len(sys.argv) > 2 else 2014
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
terms = ["中国", "美国", "疫情", "香港", "台湾"]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dll = sys.argv[4] if len(sys.argv) > 4 else os.path.join(root, "src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll")
port = 5398
base = f"http://127.0.0.1:{port}"
env = dict(os.environ, NEWSARCHIVE_NO_OUTPUT_CACHE="1", Logging__LogLevel__Default="Warning")
server = subprocess.Popen(["dotnet", dll, "--urls", base, f"--Archive:Database={db}",
                           "--Archive:SeedsPath=/nonexistent-trends-bench", "--Archive:RateLimits:Enabled=false"],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def get(path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=30) as r:
        body = r.read()
        assert r.status == 200, r.status
    return (time.perf_counter() - start) * 1000, body


try:
    for _ in range(120):
        try:
            get("/healthz")
            break
        except OSError:
            time.sleep(0.5)
    q = "&".join("q=" + urllib.parse.quote(t) for t in terms)
    for i in range(5):  # warm-up: JIT, the page cache (the first may pass the 2 s budget: a 503)
        try:
            get(f"/trends?{q}&from={first_year - 1}-12-{i + 1:02d}")
        except urllib.error.HTTPError as e:
            print(f"warm-up {i}: {e.code}")
    assert runs <= 28, "one new day of January per cold run"
    cold = [get(f"/trends?{q}&from={first_year}-01-{i + 1:02d}")[0] for i in range(runs)]
    warm = [get(f"/trends?{q}&from={first_year}-02-01")[0] for _ in range(runs)]
    ms, body = get(f"/trends?{q}&from={first_year}-02-01")
    periods = body.count(b'<th scope="row">')
    print(f"archive {db}; {len(terms)} terms {' '.join(terms)}; {periods} table rows; {runs} runs each")
    for name, xs in (("cold (new range each run)", cold), ("warm (counts cached)", warm)):
        print(f"{name}: median {statistics.median(xs):.0f} ms, slowest {max(xs):.0f} ms")
finally:
    server.terminate()
    server.wait()
