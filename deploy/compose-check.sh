#!/usr/bin/env bash
# Checks docker-compose.yml without a container engine: Debian's docker-compose validates and resolves it
# ('config'), then the resolved file is held to what the topology promises (docs/scaling.md):
# * each profile (cpu, the default from .env; gpu) runs the same number of service instances under the same
#   network names, so --profile gpu replaces the CPU instances instead of adding writers next to them;
# * every instance writes to the primary, reads from the standby and shares one volume for uploads and originals;
# * the proxy balances over exactly those names.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v docker-compose >/dev/null || { echo "docker-compose is missing: run deploy/install.sh" >&2; exit 1; }
docker-compose config -q
docker-compose config | python3 -c '
import re, sys, yaml
config = yaml.safe_load(sys.stdin)
services = config["services"]
instances = {name: s for name, s in services.items() if s.get("image", "").startswith("ucofia-service")}
errors = []
def aliases(s):
    return set(s.get("networks", {}).get("default", {}).get("aliases", []))
by_profile = {}
for name, s in instances.items():
    profiles = s.get("profiles", [])
    if len(profiles) != 1:
        errors.append(f"{name}: an instance belongs to exactly one profile, not {profiles}")
        continue
    by_profile.setdefault(profiles[0], []).append(name)
    env = s.get("environment", {})
    if "Host=postgres;" not in env.get("ConnectionStrings__Postgres", ""):
        errors.append(f"{name}: does not write to the primary")
    if "postgres-standby" not in env.get("ConnectionStrings__PostgresReadReplicas", ""):
        errors.append(f"{name}: does not read from the standby")
    if not any(v.startswith("videodata:/var/lib/ucofia") for v in s.get("volumes", [])):
        errors.append(f"{name}: does not share the videodata volume")
if set(by_profile) != {"cpu", "gpu"}:
    errors.append(f"profiles are {sorted(by_profile)}, not cpu and gpu")
names = {p: set().union(*(aliases(instances[n]) for n in ns)) for p, ns in by_profile.items()}
if len(set(map(frozenset, names.values()))) != 1 or any(len(ns) != len(names[p]) for p, ns in by_profile.items()):
    errors.append(f"the profiles do not replace each other name for name: {names}")
caddy = open("deploy/compose/Caddyfile").read()
upstreams = set(h.split(":")[0] for h in re.search(r"reverse_proxy\s+([^{]+)\{", caddy).group(1).split())
if names and upstreams != next(iter(names.values())):
    errors.append(f"the proxy balances over {sorted(upstreams)}, the instances answer to {names}")
if open(".env").read().count("COMPOSE_PROFILES=cpu") != 1:
    errors.append(".env does not make cpu the default profile")
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
'
echo "docker-compose.yml: ok"
