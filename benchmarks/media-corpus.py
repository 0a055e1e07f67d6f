#!/usr/bin/env python3
"""Copies a seed corpus with every image URL pointed at the benchmark's local origin.

Each `src` attribute of a body (in any quotes or none) (absolute, protocol-relative, or relative to the article's URL, as the
reader resolves it) becomes `http://127.0.0.1:PORT/<host>/<path>`, so the fetcher meets the
corpus's real number and spread of images per article and no request leaves the machine.

usage: media-corpus.py SRC DST PORT
"""
import os
import re
import sys
from urllib.parse import urljoin, urlsplit

src, dst, port = sys.argv[1], sys.argv[2], sys.argv[3]
origin = f"http://127.0.0.1:{port}/"
header = re.compile(r"^\[.*\]\((https?://[^)\s]+)\)\s*$", re.MULTILINE)
attribute = re.compile(r"""(\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
images = 0


def local(base: str, value: str) -> str:
    if value.startswith("data:"):
        return value
    u = urlsplit(urljoin(base, value))
    if u.scheme not in ("http", "https"):
        return value
    return origin + u.netloc + (u.path or "/") + ("?" + u.query if u.query else "")


for root, _, files in os.walk(src):
    for name in files:
        path = os.path.join(root, name)
        out = os.path.join(dst, os.path.relpath(path, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "surrogateescape")
        m = header.search(text)
        base = m.group(1) if m else "https://unknown.invalid/"
        text, n = attribute.subn(lambda a: f'{a.group(1)}"{local(base, next(g for g in a.groups()[1:] if g is not None))}"', text)
        images += n
        with open(out, "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape"))
print(f"{images} src attributes pointed at {origin}")
