#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: Chromium, its driver and a CJK font for the
# browser tests, PostgreSQL 15 for the suite's PostgreSQL run (scripts/postgres.sh starts it).
# Never a downloaded browser: Playwright drives /usr/bin/chromium.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qiE 'Noto Sans CJK|WenQuanYi' || need+=(fonts-noto-cjk)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
