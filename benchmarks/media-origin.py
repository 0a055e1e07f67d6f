#!/usr/bin/env python3
"""A stand-in image host for the media benchmark, on 127.0.0.1 only.

Every path answers an image made from the path's hash: the type (JPEG, PNG, WebP, GIF) and the
size (20 to 200 KB) come from the hash, so the same URL always gets the same bytes and two URLs
never share them (a content-addressed store cannot fold them together). GET /_stats answers the
number of requests per path as JSON (GET /_reset clears it), so the benchmark can check that no
URL was fetched twice.

usage: media-origin.py PORT
"""
import hashlib
import json
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAGIC = [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"GIF89a", "image/gif"),
]
counts: dict[str, int] = {}
lock = threading.Lock()


def image(path: str) -> tuple[bytes, str]:
    seed = hashlib.sha256(path.encode()).digest()
    rng = random.Random(seed)
    magic, kind = MAGIC[seed[0] % len(MAGIC)]
    return magic + rng.randbytes(rng.randint(20_000, 200_000)), kind


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/_reset":
            with lock:
                counts.clear()
            body, kind = b"", "text/plain"
        elif self.path == "/_stats":
            with lock:
                body = json.dumps(counts).encode()
            kind = "application/json"
        else:
            with lock:
                counts[self.path] = counts.get(self.path, 0) + 1
            body, kind = image(self.path)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
