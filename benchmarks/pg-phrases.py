#!/usr/bin/env python3
"""One matching statement per phrase, on the databases pg-strategies.sh made (gin, rum, pairs),
alternating by round: EXPLAIN ANALYZE's execution time of the app's form
(SELECT count(*) FROM search_chunks WHERE whole AND tsv @@ q, sequential scans off as in
search_whole). Prints the median over rounds, in ms, and the rows found.
  python3 benchmarks/pg-phrases.py PORT [ROUNDS=5]
"""
import re, statistics, subprocess, sys

port, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5

def grams(text):
    return [text[i:i + 2] for i in range(len(text) - 1)]

def positional(col, tokens):
    return " <-> ".join(f"'{col}{t}'" for t in tokens)

def paired(col, tokens):
    pairs = [f"'{col.lower()}{a} {b}'" for a, b in zip(tokens, tokens[1:])]
    return pairs[0] if len(tokens) == 2 else " & ".join(pairs + [f"({positional(col, tokens)})"])

# (label, columns, tokens): grams in the title and body gram columns, words in the word ones.
phrases = [("特朗普", "BE", grams("特朗普")), ("国务院", "BE", grams("国务院")), ("新冠肺炎", "BE", grams("新冠肺炎")),
           ("中华人民共和国", "BE", grams("中华人民共和国")), ('"human rights"', "AD", ["human", "rights"])]

def query(db, cols, tokens):
    form = paired if db == "pairs" else positional
    return " | ".join(f"({form(c, tokens)})" for c in cols)

def run(db, q):
    sql = f"SET enable_seqscan = off; EXPLAIN ANALYZE SELECT count(*) FROM search_chunks WHERE whole AND tsv @@ $q${q}$q$::tsquery"
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", db, "-qAt", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    rows = re.search(r"Heap Scan.*rows=(\d+)|Index Scan.*rows=(\d+)", out)
    return float(re.search(r"Execution Time: ([\d.]+)", out).group(1)), next(g for g in rows.groups() if g)

dbs = ["gin", "rum", "pairs"]
times = {(db, p[0]): [] for db in dbs for p in phrases}
found = {}
for r in range(rounds):
    for db in dbs if r % 2 == 0 else dbs[::-1]:
        for label, cols, tokens in phrases:
            ms, rows = run(db, query(db, cols, tokens))
            times[(db, label)].append(ms)
            found[(db, label)] = rows
print("phrase", *dbs, sep="\t")
for label, _, _ in phrases:
    print(label, *(f"{statistics.median(times[(db, label)]):.1f} ms ({found[(db, label)]} rows)" for db in dbs), sep="\t")
