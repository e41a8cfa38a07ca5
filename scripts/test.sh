#!/usr/bin/env bash
# `npm test`: every check and test, from a fresh clone. Installs what it needs (pnpm, dependencies,
# Debian's chromium and PostgreSQL when missing and root), then runs: format check, lint, typecheck,
# unit + integration tests on the embedded database, the integration tests that use the database
# again against a Debian PostgreSQL via DATABASE_URL, and the Playwright e2e suite in Chromium. Ends
# with `N passed, N failed`.
source "$(dirname "$0")/lib.sh"
RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

apt_install() {
  if [ "$(id -u)" != 0 ]; then say "missing $* and not root: install it with apt-get"; return 1; fi
  if [ ! -f /tmp/.tollgate-apt-updated ]; then apt-get update -qq >/dev/null && touch /tmp/.tollgate-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_pnpm
ensure_dependencies
ensure_web_build
ensure_cli_bundle
if [ ! -x /usr/bin/chromium ]; then say "installing chromium (Debian)"; apt_install chromium; fi
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  say "installing PostgreSQL (Debian)"
  apt_install postgresql
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

# A Debian PostgreSQL for the DATABASE_URL run, on a free loopback port, removed at exit.
EXT_PG_DIR="$(mktemp -d /tmp/tollgate-extpg-XXXXXX)"
EXT_PG_PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
stop_ext_pg() { as_pg "$PG_BIN/pg_ctl -D $EXT_PG_DIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$EXT_PG_DIR"; }
trap stop_ext_pg EXIT
[ "$(id -u)" = 0 ] && chown postgres "$EXT_PG_DIR" && chmod 711 "$EXT_PG_DIR"
as_pg "$PG_BIN/initdb -D $EXT_PG_DIR/data --auth=trust --username=postgres --encoding=UTF8 --locale=C" >/dev/null
as_pg "$PG_BIN/pg_ctl -D $EXT_PG_DIR/data -l $EXT_PG_DIR/log -o '-p $EXT_PG_PORT -k $EXT_PG_DIR -c listen_addresses=127.0.0.1' -w start" >/dev/null
EXT_DATABASE_URL="postgresql://postgres@127.0.0.1:$EXT_PG_PORT/postgres"

checks_passed=0
checks_failed=0
run_check() {
  local name="$1"; shift
  say "$name"
  if "$@"; then checks_passed=$((checks_passed + 1)); echo "check passed: $name";
  else checks_failed=$((checks_failed + 1)); echo "check FAILED: $name"; fi
}

run_check "format check" pnpm exec biome format .
run_check "lint" pnpm exec biome lint .
run_check "typecheck" pnpm -r --reporter=append-only typecheck

# Each runner writes its report to $RESULTS/<run>.json and its exit code to $RESULTS/<run>.exit; the
# summarizer counts both (a failed hook, an unhandled error or a non-zero exit is a failure) and
# compares the executed tests per project with scripts/test-report/minimum-tests.json.
VITEST_REPORTER="$ROOT/scripts/test-report/vitest-run-reporter.mjs"
run_tests() {
  local run="$1"; shift
  if "$@"; then echo 0 > "$RESULTS/$run.exit"; else echo "$?" > "$RESULTS/$run.exit"; fi
}

say "unit and integration tests (embedded PostgreSQL)"
# Every test file that asks the harness whether to use DATABASE_URL is listed in database-users.txt.
TOLLGATE_TEST_DATABASE_USERS="$RESULTS/database-users.txt" VITEST_RUN_REPORT="$RESULTS/vitest-embedded.json" \
  run_tests vitest-embedded pnpm exec vitest run --reporter=default --reporter="$VITEST_REPORTER"

# Only those files run again against the external server: the others do not change with DATABASE_URL.
mapfile -t DATABASE_USERS < <(sort -u "$RESULTS/database-users.txt" 2>/dev/null | sed "s|^$ROOT/||")
say "integration tests against Debian PostgreSQL (DATABASE_URL): ${#DATABASE_USERS[@]} files that use the database"
if [ "${#DATABASE_USERS[@]}" -gt 0 ]; then
  DATABASE_URL="$EXT_DATABASE_URL" VITEST_RUN_REPORT="$RESULTS/vitest-external-db.json" run_tests vitest-external-db \
    pnpm exec vitest run --project integration --reporter=default --reporter="$VITEST_REPORTER" "${DATABASE_USERS[@]}"
else
  echo "no test file used the database in the first pass" >&2
  echo 1 > "$RESULTS/vitest-external-db.exit"
fi

say "end-to-end tests (Playwright, Debian chromium)"
rm -f e2e/playwright-results.json
export TOLLGATE_E2E_HOME="$(mktemp -d /tmp/tollgate-e2e-XXXXXX)"
run_tests playwright pnpm --reporter=append-only --filter @tollgate/e2e test
# The server has stopped: remove its home and, for root-run clusters, the directory its pg link points to.
[ -L "$TOLLGATE_E2E_HOME/pg" ] && rm -rf "$(readlink "$TOLLGATE_E2E_HOME/pg")"
rm -rf "$TOLLGATE_E2E_HOME"
[ -f e2e/playwright-results.json ] && cp e2e/playwright-results.json "$RESULTS/playwright.json"

node scripts/summarize-results.mjs "$RESULTS" "$checks_passed" "$checks_failed"
