#!/usr/bin/env python3
"""Makes a variant corpus (issue #17) from the dev corpus, for the identity figures.

usage: identity-corpus.py SRC DST [--limit N]
SRC: a folder of seed files or a .tar.xz of them (../shared/corpus/waimei-dev.tar.xz).
Each article is written as itself and, in turn, under variant URLs (http/https, www., trailing
slash, utm_ parameters, a fragment, a web.archive.org capture, percent-escape case), under a new
id with the same content, and as an edited copy dated an hour later (a revision); every tenth
also gets an untitled sibling with a body (a derived title); and two files hold no article (empty,
a picture only). The tests' equivalent is tests/NewsArchive.Tests/Identity/VariantCorpus.cs.
"""
import os
import re
import sys
import tarfile

TITLE = re.compile(r"^\[(.*)\]\((https?://[^)\s]+)\)$", re.M)
TIME = re.compile(r"<!--(\d+)-->")

VARIANTS = [
    lambda u, i: ("http://" + u[8:]) if u.startswith("https://") else ("https://" + u[7:]),
    lambda u, i: re.sub(r"^(https?://)(?:www\.)?", lambda m: m.group(1) + "www.", u),
    lambda u, i: u + ("&" if "?" in u else "?") + f"utm_source=feed{i}&utm_medium=rss",
    lambda u, i: u + ("#comments" if "?" in u else "/"),
    lambda u, i: f"https://web.archive.org/web/2019{i % 12 + 1:02d}01000000/{u}",
    lambda u, i: re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), u) + "#top",
]


def seeds(src):
    if os.path.isdir(src):
        for root, _, names in os.walk(src):
            for n in sorted(names):
                with open(os.path.join(root, n), encoding="utf-8", errors="replace") as f:
                    yield f.read()
        return
    with tarfile.open(src) as t:
        for m in t:
            if m.isfile():
                yield t.extractfile(m).read().decode("utf-8", errors="replace")


def main():
    args = sys.argv[1:]
    limit = None
    if "--limit" in args:
        k = args.index("--limit")
        limit = int(args[k + 1])
        del args[k:k + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = args
    os.makedirs(dst, exist_ok=True)
    counts = {"files": 0, "originals": 0, "variants": 0, "new ids": 0, "revisions": 0, "untitled": 0, "no article": 2}

    def put(name, text, kind):
        with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
            f.write(text)
        counts["files"] += 1
        counts[kind] += 1

    i = 0
    for text in seeds(src):
        line = TITLE.search(text)
        if not line:
            continue
        if limit is not None and i >= limit:
            break
        title, url = line.group(1), line.group(2)
        head, tail = text[:line.start()], text[line.end():]
        put(f"{i:06d}-0.md", text, "originals")
        variant = VARIANTS[i % len(VARIANTS)](url, i)
        put(f"{i:06d}-1.md", f"{head}[{title}]({variant}){tail}", "variants")
        if i % 3 == 0:
            put(f"{i:06d}-2.md", f"{head}[{title}](https://mirror.example.net/story.php?id={i}){tail}", "new ids")
        if i % 4 == 0:
            # An edit an hour later, at a new id of the same site: a correction note added.
            when = TIME.search(head)
            later = TIME.sub(f"<!--{int(when.group(1)) + 3_600_000}-->", head, count=1) if when else head
            edited = tail.rstrip("\n") + "\n<p>更正：本文较早版本有误，现已更正。 Correction: an earlier version of this article was wrong.</p>\n"
            put(f"{i:06d}-3.md", f"{later}[{title}]({url.rstrip('/')}/?rev=2){edited}", "revisions")
        if i % 10 == 0:
            put(f"{i:06d}-u.md", f"<!--1718805542000-->\n[](https://example.org/untitled/{i}/a-slug-{i}.html)\n------\n"
                f"<p>无题的文章{i}：它只有正文，没有标题。 An article {i} with a body and no title.</p>\n", "untitled")
        i += 1
    with open(os.path.join(dst, "empty.md"), "w", encoding="utf-8") as f:
        f.write("<!--1718805542000-->\n[](https://example.org/empty)\n------\n\n")
    with open(os.path.join(dst, "picture.md"), "w", encoding="utf-8") as f:
        f.write('<!--1718805542000-->\n[](https://example.org/picture)\n------\n<p><img src="https://example.org/p.jpg"></p>\n')
    counts["files"] += 2
    print(", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
