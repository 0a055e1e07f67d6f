#!/usr/bin/env python3
"""SQLite against PostgreSQL on the same archive (issue 21), on this machine, loopback only.

  dotnet build -c Release src/NewsArchive.Web
  python3 benchmarks/postgres-vs-sqlite.py CORPUS_DIR ARCHIVE_DB [ROUNDS=3]

CORPUS_DIR (e.g. the dev corpus) measures the ingest rate: fresh ingests into SQLite and into
PostgreSQL, alternating. ARCHIVE_DB (a SQLite archive, e.g. the 104k one from make-corpus.py) is
copied into PostgreSQL with migrate-to-postgres; both are then served (Release build, output cache
off) and measured alternating: per-query latency over the dev queries (median of 5 each; median
and worst over the queries), uncached search throughput (wrk, 4 connections) and CPU per request
(the app's process, plus PostgreSQL's processes for PostgreSQL). Then a streaming replica: its lag
behind the primary while an ingest runs (pg_stat_replication.replay_lag, from a commit flushed on
the primary to its replay on the replica, sampled every 100 ms), and what a reader node on the replica answers while the primary is stopped.

PG_ARCHIVE=CONNECTION[|CONNECTION...] PG_DIR=DATA_DIR: search only, against PostgreSQL archives already
there (databases of one server of scripts/postgres.sh in DATA_DIR, whose processes are counted for
CPU), each a backend of its own named by its Database, served with Archive:PostgresRum as its search
index is (RUM or GIN: the app never rebuilds it): no ingest, no migration, no replica; CORPUS_DIR is
then unused. Prints each query's median on every backend.
NEWSARCHIVE_DLL: the build to serve (default: the Release build of this tree).
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time, urllib.parse, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpus, archive = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
work = tempfile.mkdtemp(prefix="pgbench-")
os.chmod(work, 0o755)  # the server runs as the postgres user, inside it
dll = os.environ.get("NEWSARCHIVE_DLL") or os.path.join(root, "src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll")
queries = [l.split("\t")[2] for l in open("/work/shared/eval/queries-dev.tsv" if os.path.exists("/work/shared/eval/queries-dev.tsv")
           else os.path.join(root, "../shared/eval/queries-dev.tsv"), encoding="utf-8") if l.strip() and not l.startswith("#")]
servers = []

def sh(*args, env=None, **kw):
    return subprocess.run(list(args), check=True, capture_output=True, text=True, env={**os.environ, **(env or {})}, **kw).stdout.strip()

def pg(cmd, d, *rest):
    return sh("bash", os.path.join(root, "scripts/postgres.sh"), cmd, d, *map(str, rest))

def psql(conn, sql):
    kv = dict(p.split("=", 1) for p in conn.split(";") if p)
    return sh("psql", "-qAt", "-h", kv["Host"], "-p", kv["Port"], "-U", kv["Username"], "-d", kv.get("Database", "postgres"), "-c", sql)

def files(d):
    return sum(len(fs) for _, _, fs in os.walk(d))

def cpu_of(pids):
    total = 0
    for pid in pids:
        try:
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(f[11]) + int(f[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / os.sysconf("SC_CLK_TCK")

existing = os.environ.get("PG_ARCHIVE")
# Each PostgreSQL archive searched: its name (its Database, or "postgres") and connection string.
archives = {re.search(r"Database=([^;]+)", c).group(1): c for c in existing.split("|")} if existing else {}

def postgres_pids():
    """The benchmark server's postmaster and its children (not any other cluster on the machine)."""
    main = int(open(os.path.join(os.environ["PG_DIR"] if existing else os.path.join(work, "primary"), "postmaster.pid")).readline())
    children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
    return [main] + [int(c) for c in children]

def serve(name, port, env):
    log = open(os.path.join(work, f"server-{name}.log"), "a")
    p = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}"], stdout=log, stderr=log,
                         env={**os.environ, "Logging__LogLevel__Default": "Warning", "NEWSARCHIVE_NO_OUTPUT_CACHE": "1",
                              "Archive__RateLimits__Enabled": "false", "Archive__SeedsPath": os.path.join(work, "no-seeds"), **env})
    servers.append(p)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return p
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"server {name} did not start")

def stop(p):
    p.terminate(); p.wait(); servers.remove(p)

refused = []  # requests answered with an error (a search over its time budget: 503), each as "port path"

def get(port, path):
    """Milliseconds to the whole answer; an error answer (a refusal) is timed too, and noted in refused."""
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            r.read()
    except urllib.error.HTTPError as e:
        refused.append(f"{e.code} {path}")
    return (time.perf_counter() - t) * 1000

try:
    if not os.path.exists(dll):
        raise SystemExit("build first: dotnet build -c Release src/NewsArchive.Web")
    n = 0 if existing else files(corpus)
    server = None if existing else pg("start", os.path.join(work, "primary"), 55440)
    print(f"machine: {os.cpu_count()} cores; corpus {corpus}: {n} files; archive {archive}")

    # 1. Ingest rate, alternating (SKIP_INGEST=1 leaves it out, e.g. for a second archive).
    rate = {"sqlite": [], "postgres": []}
    for r in range(0 if existing or os.environ.get("SKIP_INGEST") == "1" else rounds):
        for backend in (["sqlite", "postgres"] if r % 2 == 0 else ["postgres", "sqlite"]):
            env = {}
            if backend == "postgres":
                psql(server, f"CREATE DATABASE ingest_{r}")
                env["Archive__Postgres"] = server + f";Database=ingest_{r}"
            t = time.perf_counter()
            subprocess.run(["dotnet", dll, "ingest", corpus, "--db", os.path.join(work, f"ingest-{backend}-{r}.db")],
                           env={**os.environ, **env}, capture_output=True)
            rate[backend].append(n / (time.perf_counter() - t))
            print(f"ingest round {r} {backend}: {rate[backend][-1]:.0f} files/s", flush=True)
    med = {b: statistics.median(v) for b, v in rate.items() if v}
    if med:
        print(f"INGEST median files/s: sqlite {med['sqlite']:.0f}, postgres {med['postgres']:.0f}, ratio {med['sqlite'] / med['postgres']:.2f}x")

    # 2. The archive in PostgreSQL.
    if not existing:
        psql(server, "CREATE DATABASE big")
        archives["postgres"] = server + ";Database=big"
        t = time.perf_counter()
        subprocess.run(["dotnet", dll, "migrate-to-postgres", "--from", archive], env={**os.environ, "Archive__Postgres": archives["postgres"],
                       "Archive__Database": os.path.join(work, "big-pg.db")}, check=True, capture_output=True)
        print(f"migrate-to-postgres of {archive}: {time.perf_counter() - t:.0f} s", flush=True)
    rum = {name: psql(c, "SELECT count(*) FROM pg_indexes WHERE indexname = 'search_chunks_whole_rum'") == "1" for name, c in archives.items()}
    print("search indexes: " + ", ".join(f"{name} {'RUM' if r else 'GIN'}" for name, r in rum.items()), flush=True)

    # 3. Search latency, throughput and CPU per request, alternating.
    backends = ["sqlite", *archives]
    lat, tput, cpu = ({b: [] for b in backends} for _ in range(3))
    for r in range(rounds):
        for backend in (backends if r % 2 == 0 else backends[::-1]):
            env = {"Archive__Database": archive} if backend == "sqlite" else {"Archive__Database": os.path.join(work, "big-pg.db"),
                   "Archive__Postgres": archives[backend], "Archive__PostgresRum": str(rum[backend]).lower()}
            p = serve(backend, 5098, env)
            for q in queries:  # warm-up
                get(5098, "/api/search?q=" + urllib.parse.quote(q))
            per_query = {q: statistics.median(get(5098, f"/api/search?q={urllib.parse.quote(q)}&n={i}") for i in range(5)) for q in queries}
            lat[backend].append(per_query)
            pids = [p.pid] + (postgres_pids() if backend != "sqlite" else [])
            before = cpu_of(pids)
            out = sh("wrk", "-t2", "-c4", "-d10s", "--timeout", "10s", "-s", os.path.join(root, "benchmarks/wrk/search-mix.lua"),
                     "http://127.0.0.1:5098", "--", "/api/search", "nocache")
            used = cpu_of(pids) - before
            reqs = int(re.search(r"(\d+) requests in", out).group(1))
            tput[backend].append(reqs / 10)
            cpu[backend].append(used / reqs * 1000)
            stop(p)
            if refused:
                print(f"  refused: {len(refused)} ({', '.join(sorted(set(urllib.parse.unquote(x) for x in refused)))})")
                refused.clear()
            print(f"search round {r} {backend}: median {statistics.median(per_query.values()):.1f} ms, worst {max(per_query.values()):.1f} ms "
                  f"({max(per_query, key=per_query.get)}), {reqs / 10:.0f} req/s, {used / reqs * 1000:.2f} CPU ms/request", flush=True)
    for b in backends:
        meds = [statistics.median(x.values()) for x in lat[b]]
        worst = [max(x.values()) for x in lat[b]]
        print(f"SEARCH {b}: median of medians {statistics.median(meds):.1f} ms, worst query (median over rounds) {statistics.median(worst):.1f} ms, "
              f"throughput {statistics.median(tput[b]):.0f} req/s, CPU {statistics.median(cpu[b]):.2f} ms/request")
    for q in queries:
        print("QUERY", q, *(f"{statistics.median(x[q] for x in lat[b]):.1f}" for b in backends), sep="\t")
    if existing:
        raise SystemExit(0)

    # 4. A streaming replica: lag during an ingest (commit on the primary to visible on the replica).
    replica = pg("replica", os.path.join(work, "replica"), 55441, 55440)
    psql(server, "CREATE DATABASE lag")
    ingest = subprocess.Popen(["dotnet", dll, "ingest", corpus, "--db", os.path.join(work, "lag.db")],
                              env={**os.environ, "Archive__Postgres": server + ";Database=lag"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # pg_stat_replication.replay_lag: from a commit flushed on the primary to its replay on the standby.
    lags = []
    while ingest.poll() is None:
        v = psql(server, "SELECT coalesce(extract(epoch FROM replay_lag) * 1000, -1) FROM pg_stat_replication")
        if v and float(v) >= 0:
            lags.append(float(v))
        time.sleep(0.1)
    print(f"REPLICA replay lag while ingesting {n} files: median {statistics.median(lags):.1f} ms, max {max(lags):.1f} ms "
          f"({len(lags)} samples of pg_stat_replication.replay_lag, every 100 ms)")

    # 5. What a reader node on the replica answers while the primary is stopped.
    p = serve("reader", 5099, {"Archive__Database": os.path.join(work, "reader.db"), "Archive__Postgres": server + ";Database=lag",
                                "Archive__PostgresRead": replica + ";Database=lag", "Archive__Ingest": "false"})
    wrk = subprocess.Popen(["wrk", "-t1", "-c2", "-d12s", "--timeout", "10s", "-s", os.path.join(root, "benchmarks/wrk/search-mix.lua"),
                            "http://127.0.0.1:5099", "--", "/search"], stdout=subprocess.PIPE, text=True)
    time.sleep(4)
    pg("stop", os.path.join(work, "primary"))
    out = wrk.communicate()[0]
    reqs = re.search(r"(\d+) requests in", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    print(f"PRIMARY STOPPED at 4 s of 12: the reader answered {reqs} requests, {bad.group(1) if bad else 0} not 2xx/3xx, "
          f"socket errors: {errors.group(1) if errors else 'none'}")
    stop(p)
finally:
    for p in list(servers):
        p.kill()
    for d in ("replica", "primary"):
        if os.path.exists(os.path.join(work, d)):
            subprocess.run(["bash", os.path.join(root, "scripts/postgres.sh"), "stop", os.path.join(work, d)], capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
