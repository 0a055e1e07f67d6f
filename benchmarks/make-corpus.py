#!/usr/bin/env python3
"""Builds a large corpus for benchmarks by replicating a seed-format corpus with distinct URLs.
Usage: make-corpus.py SOURCE_DIR OUT_DIR COPIES
Copy k of each file gets `na_copy=k` added to its URL (title line and front-matter `from:`) and
` ·k` to its title (title line and front-matter `title:`), so every copy is a distinct article
under the identity rule (one folded title and text is one article, whatever its URLs: README,
"Identity"); the first copy keeps the original URL and title."""
import os, re, sys

TITLE_URL = re.compile(r'(\]\()(\S*?)(\)[ \t]*\r?\n)')
FROM_URL = re.compile(r'^(from:\s*"?)(\S+?)("?\s*)$', re.M)
TITLE_LINE = re.compile(r'^\[(.*)\](\(\S*?\)[ \t]*\r?\n)', re.M)
TITLE_FIELD = re.compile(r'^(title:\s*)(.*?)(\s*)$', re.M)

def with_copy(url, k):
    if k == 0:
        return url
    sep = '&' if '?' in url else '?'
    frag = ''
    if '#' in url:
        url, frag = url.split('#', 1)
        frag = '#' + frag
    return f"{url}{sep}na_copy={k}{frag}"

def with_title(title, k):
    # A quoted YAML scalar keeps its quotes outside the suffix.
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "'\"":
        return f"{title[:-1]} ·{k}{title[-1]}"
    return f"{title} ·{k}"

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
                if k:
                    raw = TITLE_LINE.sub(lambda m: f"[{m.group(1)} ·{k}]{m.group(2)}", raw, count=1)
                    raw = TITLE_FIELD.sub(lambda m: m.group(1) + with_title(m.group(2), k) + m.group(3), raw, count=1)
                open(os.path.join(target, f), 'w', encoding='utf-8', errors='surrogateescape').write(raw)
                n += 1
    print(f"{n} files in {out}")

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
