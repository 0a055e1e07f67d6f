#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: Chromium, its driver and a CJK font for the
# browser tests, PostgreSQL 15 and its RUM index (postgresql-15-rum: the search index decides phrases
# in the index, docs/scale-out.md) for the suite's PostgreSQL run (scripts/postgres.sh starts it).
# Installing postgresql-15-rum may upgrade postgresql-15 too: a server already running on the old
# binaries fails to load its libraries until restarted (the tests start their own servers).
# Never a downloaded browser: Playwright drives /usr/bin/chromium.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qiE 'Noto Sans CJK|WenQuanYi' || need+=(fonts-noto-cjk)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/rum.control ] || need+=(postgresql-15-rum)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
