#!/usr/bin/env bash
# Shim for `npm run deploy -- <env>`: the deploy is TypeScript (scripts/deploy.ts, logic in
# lib/deploy/, bundled into build/deploy.js). Run with --help for usage.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v node >/dev/null || { echo 'error: node is not on PATH (Node.js 20+ is needed)' >&2 && exit 3; }
sources=()
for dir in "$root/lib" "$root/scripts"; do [[ -d $dir ]] && sources+=("$dir"); done
if [[ ! -f $root/build/deploy.js || (${#sources[@]} -gt 0 && -n $(find "${sources[@]}" -name '*.ts' -newer "$root/build/deploy.js" -print -quit)) ]]; then
  (cd "$root" && npm run -s build) || { echo 'error: npm run build failed; run npm ci first' >&2 && exit 3; }
fi
exec node "$root/build/deploy.js" "$@"
