# Sourced by db.sh and standby.sh: where PostgreSQL's programs are, and how to run them as the cluster's owner
# (as root the 'postgres' user, which must reach the data directory through the project's folders), and say/die
# with the sourcing script's LOG_TAG.
say() { printf '\033[1;32m[%s]\033[0m %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '\033[1;31m[%s]\033[0m %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"

if [ "$(id -u)" -eq 0 ]; then
  DB_USER=postgres
  as_db_user() { runuser -u postgres -- "$@"; }
else
  DB_USER="$(id -un)"
  as_db_user() { "$@"; }
fi

[ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL ${PG_MAJOR} is not installed: run deploy/install.sh first"

# Creates a cluster's folder, owned by the user the server runs as.
make_cluster_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$1"
    local d="$1"; while [ "$d" != "/" ]; do d="$(dirname "$d")"; chmod o+x "$d" 2>/dev/null || true; done
  fi
}
