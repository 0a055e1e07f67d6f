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
rum=()
[ -f /usr/share/postgresql/15/extension/rum.control ] || rum=(postgresql-15-rum)
if [ ${#need[@]} -eq 0 ] && [ ${#rum[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing ${need[*]} ${rum[*]}"
$SUDO apt-get update -q
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# Optional for the archive (GIN without it): a mirror without it fails only the RUM tests, not the run.
if [ ${#rum[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${rum[@]}" \
    || echo "postgresql-15-rum not installed: PostgreSQL search runs on GIN; the RUM tests will fail"
fi
