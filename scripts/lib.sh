# Shared by the scripts: a pinned pnpm, installed dependencies, a current web build and CLI bundle.
# Works on a fresh clone where only Node 20 and npm exist.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PNPM_VERSION="10.34.9"
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_pnpm() {
  if [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ]; then return; fi
  if [ -x "$ROOT/.tools/node_modules/.bin/pnpm" ]; then export PATH="$ROOT/.tools/node_modules/.bin:$PATH"; return; fi
  say "installing pnpm $PNPM_VERSION"
  if ! npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    # No write access to the global prefix: keep a private copy in the checkout.
    npm install --prefix "$ROOT/.tools" --no-fund --no-audit --no-save "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
  fi
}

ensure_dependencies() {
  if ! { [ -f node_modules/.pnpm/lock.yaml ] && cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml && [ -d packages/db/src/generated/prisma ]; }; then
    say "installing dependencies"
    pnpm install --frozen-lockfile --reporter=append-only
  fi
  # The Prisma client is generated at install; a pulled schema change needs a new one even when the
  # lockfile did not change (generate.mjs records the schema's hash it generated from).
  if [ "$(sha256sum prisma/schema.prisma | cut -d' ' -f1)" != "$(cat packages/db/src/generated/schema.sha256 2>/dev/null || true)" ]; then
    say "generating the Prisma client (prisma/schema.prisma changed)"
    pnpm --filter @tollgate/db generate
  fi
}

# Rebuilds the web app only when its inputs changed since the last build.
ensure_web_build() {
  local stamp="apps/web/.next/tollgate-inputs.sha256" current
  current="$(node scripts/hash-web-inputs.mjs)"
  if [ -f apps/web/.next/BUILD_ID ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$current" ]; then return; fi
  say "building the web app"
  pnpm --reporter=append-only --filter @tollgate/web build
  printf '%s' "$current" > "$stamp"
}

# Rebuilds the single-file CLI (apps/api/dist/tollgate.mjs) only when one of its inputs changed.
ensure_cli_bundle() {
  if node apps/api/bin/cli-bundle.mjs; then return; fi
  say "building the CLI bundle"
  node scripts/build-cli.mjs >/dev/null
}
