#!/usr/bin/env bash
# Installs what UCoFIA.Service needs on Debian 12 (bookworm): ffmpeg, PostgreSQL 15 with
# pgvector (built from Debian trixie's source package, since bookworm has none for 15),
# build tools, the solution's NuGet packages, and (only with UCOFIA_SLOW_TESTS=1) chromium for
# the browser test. Safe to re-run: each step is skipped when its result is already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"

say() { printf '\033[1;34m[install]\033[0m %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=(ffmpeg "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" postgresql-contrib
              build-essential dpkg-dev python3 ca-certificates
              docker-compose)  # only its "config", which checks docker-compose.yml (deploy/compose-check.sh); no engine
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  # The Debian postgresql package creates and starts a default cluster on 5432; we run our own.
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "apt: all packages present"
fi

if [ -f "/usr/share/postgresql/${PG_MAJOR}/extension/vector.control" ]; then
  say "pgvector: already installed"
else
  say "pgvector: building from Debian trixie's source package"
  src_list=/etc/apt/sources.list.d/ucofia-trixie-src.list
  if [ ! -f "$src_list" ]; then
    echo "deb-src http://deb.debian.org/debian trixie main" | sudo_if_needed tee "$src_list" >/dev/null
  fi
  sudo_if_needed apt-get update -qq
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (
    cd "$work"
    chmod 777 "$work" # apt's _apt sandbox user writes the download here
    apt-get source --download-only -qq pgvector
    dpkg-source -x --no-check ./pgvector_*.dsc pgvector >/dev/null
    cd pgvector
    make -s PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
    sudo_if_needed make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
  )
  say "pgvector: installed $(grep default_version "/usr/share/postgresql/${PG_MAJOR}/extension/vector.control")"
fi

# The browser test of Swagger UI (tests/UCoFIA.Service.Tests/Browser) drives Debian's chromium with Playwright;
# it is a slow test, so the browser is only installed when slow tests are asked for.
if [ "${UCOFIA_SLOW_TESTS:-0}" = "1" ]; then
  if dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
    say "chromium: already installed (slow tests)"
  else
    say "chromium: installing for the Swagger UI browser test (UCOFIA_SLOW_TESTS=1)"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
fi

if [ "${SKIP_RESTORE:-0}" != "1" ]; then
  say "dotnet: restoring packages"
  dotnet restore "$root/UCoFIA.Service.sln" --verbosity quiet
fi
say "done"
