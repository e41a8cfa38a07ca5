#!/usr/bin/env bash
# `npm start`: set everything up on a fresh clone, then run `tollgate serve` with embedded defaults.
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_dependencies
ensure_web_build
ensure_cli_bundle
say "starting tollgate serve (data in \${TOLLGATE_HOME:-~/.local/share/tollgate})"
exec node apps/api/bin/tollgate.mjs serve "$@"
