#!/usr/bin/env python3
"""Builds a large corpus for benchmarks by replicating a seed-format corpus with distinct URLs.
Usage: make-corpus.py SOURCE_DIR OUT_DIR COPIES
Copy k of each file gets `na_copy=k` added to its URL (title line and front-matter `from:`), so
every copy is a distinct article; the first copy keeps the original URL."""
import os, re, sys

TITLE_URL = re.compile(r'(\]\()(\S*?)(\)[ \t]*\r?\n)')
FROM_URL = re.compile(r'^(from:\s*"?)(\S+?)("?\s*)$', re.M)

def with_copy(url, k):
    if k == 0:
        return url
    sep = '&' if '?' in url else '?'
    frag = ''
    if '#' in url:
        url, frag = url.split('#', 1)
        frag = '#' + frag
    return f"{url}{sep}na_copy={k}{frag}"

def main(src, out, copies):
    n = 0
    for k in range(copies):
        for dirpath, _, files in os.walk(src):
            rel = os.path.relpath(dirpath, src)
            target = os.path.join(out, f"copy{k:02d}", rel)
            os.makedirs(target, exist_ok=True)
            for f in files:
                raw = open(os.path.join(dirpath, f), encoding='utf-8', errors='surrogateescape').read()
                raw = TITLE_URL.sub(lambda m: m.group(1) + with_copy(m.group(2), k) + m.group(3), raw, count=1)
                raw = FROM_URL.sub(lambda m: m.group(1) + with_copy(m.group(2), k) + m.group(3), raw, count=1)
                open(os.path.join(target, f), 'w', encoding='utf-8', errors='surrogateescape').write(raw)
                n += 1
    print(f"{n} files in {out}")

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
