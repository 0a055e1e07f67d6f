#!/usr/bin/env bash
# Screenshots of /trends in the three UI languages (docs/screenshots/trends-*.png), with headless
# Chromium against the Release build over an ingested archive, on 127.0.0.1 only.
# Usage: scripts/trends-screenshots.sh DB_FILE   (build first: dotnet build -c Release src/NewsArchive.Web)
set -euo pipefail
db=$1
root=$(cd "$(dirname "$0")/.." && pwd)
port=5399
Logging__LogLevel__Default=Warning dotnet "$root/src/NewsArchive.Web/bin/Release/net10.0/NewsArchive.Web.dll" \
  --urls "http://127.0.0.1:$port" --Archive:Database="$db" --Archive:SeedsPath=/nonexistent-trends-shots >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
q() { python3 -c 'import sys, urllib.parse; print("&".join("q=" + urllib.parse.quote(a) for a in sys.argv[1:]))' "$@"; }
shot() { # name, path
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
    --screenshot="$root/docs/screenshots/$1.png" "http://127.0.0.1:$port$2" 2>/dev/null
}
shot trends-en "/trends?lang=en&from=2020-01-01&to=2020-12-31&$(q 特朗普 川普 拜登)"
shot trends-zh-hans "/trends?lang=zh-Hans&from=2020-01-01&to=2021-01-31&by=month&$(q 疫情)"
shot trends-zh-hant "/trends?lang=zh-Hant&$(q '臺灣 OR 台灣' 香港 title:疫情)"
