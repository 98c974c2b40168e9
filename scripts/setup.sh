#!/usr/bin/env bash
# One-command setup: the Debian programs the tests run, the npm dependencies, and a synth.
#
#   npm run setup        (or: bash scripts/setup.sh)
#
# Debian packages, and which tests need them:
#   redis-server                 test/cache/redis-server.test.ts loads the rendered redis.conf
#   python3                      test/gateway/gateway-scripts.test.ts runs the gateway's helper
#                                scripts; test/agents/agents-yaml.test.ts formats every rendered
#                                agents.yaml string with str.format, as PraisonAI does
#   prometheus                   promtool: check config, check rules, test rules (test/monitoring)
#   prometheus-alertmanager      amtool: check-config, config routes test (test/monitoring)
#   the shell linter (package "shellcheck"): test/deploy/shellcheck.test.ts lints the scripts
#   postgresql, prometheus-redis-exporter, prometheus-postgres-exporter (with the above):
#                                npm run test:integration runs the rendered configs in them
#                                (and postgresql's ssl-cert brings openssl, which makes the TLS
#                                certificate of the harness's managed-database stand-in)
# Packages already present are not reinstalled. Without root, the apt command is printed instead.
# `bash scripts/setup.sh --packages` only prints the package list (for CI systems that install
# them with sudo first).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(redis-server python3 prometheus prometheus-alertmanager shellcheck postgresql prometheus-redis-exporter prometheus-postgres-exporter)
if [[ ${1:-} == --packages ]]; then
  echo "${PACKAGES[*]}"
  exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "== Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "== Debian packages missing: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== synth"
npm run synth
