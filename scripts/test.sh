#!/usr/bin/env bash
# `npm test`: every check and test, from a fresh clone. Installs what it needs (pnpm, dependencies,
# Debian's chromium and PostgreSQL when missing and root), then runs: format check, lint, typecheck,
# unit + integration tests on the embedded database, the integration tests that use the database
# against a Debian PostgreSQL via DATABASE_URL (which file runs in which pass: the rule at the top of
# scripts/test-report/database-passes.json), and the Playwright e2e suite in Chromium. Ends
# with `N passed, N failed`. Each phase heading shows the seconds since the start.
source "$(dirname "$0")/lib.sh"
say() { printf '\033[1m==> [%4ss] %s\033[0m\n' "$SECONDS" "$*" >&2; }
RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# Every `tollgate serve` a test starts also writes its output here, for reading after a failure.
export TOLLGATE_TEST_SERVER_LOGS="$RESULTS/server-logs"

apt_install() {
  if [ "$(id -u)" != 0 ]; then say "missing $* and not root: install it with apt-get"; return 1; fi
  if [ ! -f /tmp/.tollgate-apt-updated ]; then apt-get update -qq >/dev/null && touch /tmp/.tollgate-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_pnpm
ensure_dependencies
# The checks phase below type-checks the web app (`pnpm typecheck`); its build need not do it first.
TOLLGATE_WEB_BUILD_TYPECHECK=off ensure_web_build
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

# The phases overlap where they wait more than they compute: the checks (format, lint, typecheck),
# the embedded pass and the DATABASE_URL pass start together; Playwright starts when the first of
# them ends (the checks, usually). Each background phase writes its output to $RESULTS/<phase>.log, printed when it ends.
VITEST_REPORTER="$ROOT/scripts/test-report/vitest-run-reporter.mjs"
# Each runner writes its report to $RESULTS/<run>.json and its exit code to $RESULTS/<run>.exit; the
# summarizer counts both (a failed hook, an unhandled error or a non-zero exit is a failure) and
# compares the executed tests per project with scripts/test-report/minimum-tests.json.
run_tests() {
  local run="$1"; shift
  if "$@"; then echo 0 > "$RESULTS/$run.exit"; else echo "$?" > "$RESULTS/$run.exit"; fi
}

run_checks() {
  local passed=0 failed=0 name
  for name in "format check:pnpm exec biome format ." "lint:pnpm exec biome lint ." \
    "typecheck:node scripts/typecheck.mjs"; do
    echo "==> ${name%%:*}"
    if ${name#*:}; then passed=$((passed + 1)); echo "check passed: ${name%%:*}";
    else failed=$((failed + 1)); echo "check FAILED: ${name%%:*}"; fi
  done
  echo "$passed $failed" > "$RESULTS/checks.counts"
}
say "format check, lint and typecheck (in the background)"
run_checks > "$RESULTS/checks.log" 2>&1 &
CHECKS_PID=$!

# The files that import the harness module reading DATABASE_URL run against the external server in
# parallel with the embedded pass. Which files run in which pass is the rule written at the top of
# scripts/test-report/database-passes.json: every file that uses the database runs at least once; the
# end-to-end files that start `tollgate serve` listed there run in one pass only (the server code is
# the same for both databases), everything else that uses the database runs in both.
node scripts/test-report/database-users.mjs > "$RESULTS/database-users-static.txt"
node scripts/test-report/database-passes.mjs external "$RESULTS/database-users-static.txt" > "$RESULTS/external-pass-files.txt"
node scripts/test-report/database-passes.mjs embedded-excluded > "$RESULTS/embedded-pass-excluded.txt"
mapfile -t DATABASE_USERS < "$RESULTS/external-pass-files.txt"
mapfile -t EMBEDDED_EXCLUDED < "$RESULTS/embedded-pass-excluded.txt"
say "integration tests against Debian PostgreSQL (DATABASE_URL), in the background: ${#DATABASE_USERS[@]} files that use the database"
if [ "${#DATABASE_USERS[@]}" -gt 0 ]; then
  DATABASE_URL="$EXT_DATABASE_URL" VITEST_RUN_REPORT="$RESULTS/vitest-external-db.json" \
    TOLLGATE_TEST_WORKERS="${TOLLGATE_TEST_DB_WORKERS:-2}" run_tests vitest-external-db \
    pnpm exec vitest run --project integration --reporter=default --reporter="$VITEST_REPORTER" "${DATABASE_USERS[@]}" \
    > "$RESULTS/vitest-external-db.log" 2>&1 &
  EXTERNAL_PID=$!
else
  echo "no test file imports the database harness" >&2
  echo 1 > "$RESULTS/vitest-external-db.exit"
  EXTERNAL_PID=""
fi

say "unit and integration tests (embedded PostgreSQL), in the background, except ${#EMBEDDED_EXCLUDED[@]} files that run only against DATABASE_URL"
# Every test file that asks the harness whether to use DATABASE_URL is listed in database-users.txt.
TOLLGATE_TEST_DATABASE_USERS="$RESULTS/database-users.txt" VITEST_RUN_REPORT="$RESULTS/vitest-embedded.json" \
  TOLLGATE_TEST_EXCLUDE="$(cat "$RESULTS/embedded-pass-excluded.txt")" \
  run_tests vitest-embedded pnpm exec vitest run --reporter=default --reporter="$VITEST_REPORTER" \
  > "$RESULTS/vitest-embedded.log" 2>&1 &
EMBEDDED_PID=$!

pass_output() {
  if [ "$1" = "$EMBEDDED_PID" ]; then
    say "unit and integration tests (embedded PostgreSQL): output"
    cat "$RESULTS/vitest-embedded.log"
  else
    say "integration tests against Debian PostgreSQL (DATABASE_URL): output"
    cat "$RESULTS/vitest-external-db.log"
  fi
}
# Playwright starts as soon as the first of the checks and the two passes ends (the checks, usually),
# so that it does not run alone at the end on a machine with CPU to spare.
FIRST_PID="$CHECKS_PID"
wait -n -p FIRST_PID "$CHECKS_PID" "$EMBEDDED_PID" $EXTERNAL_PID || true
[ "$FIRST_PID" = "$CHECKS_PID" ] || pass_output "$FIRST_PID"

say "end-to-end tests (Playwright, Debian chromium)"
rm -f e2e/playwright-results.json
export TOLLGATE_E2E_HOME="$(mktemp -d /tmp/tollgate-e2e-XXXXXX)"
run_tests playwright pnpm --reporter=append-only --filter @tollgate/e2e test
# The server has stopped: remove its home and, for root-run clusters, the directory its pg link points to.
[ -L "$TOLLGATE_E2E_HOME/pg" ] && rm -rf "$(readlink "$TOLLGATE_E2E_HOME/pg")"
rm -rf "$TOLLGATE_E2E_HOME"
[ -f e2e/playwright-results.json ] && cp e2e/playwright-results.json "$RESULTS/playwright.json"

for pid in "$EMBEDDED_PID" $EXTERNAL_PID; do
  if [ "$pid" != "$FIRST_PID" ]; then
    wait "$pid" || true
    pass_output "$pid"
  fi
done

# A file the embedded pass saw reading DATABASE_URL that the import scan missed runs now.
mapfile -t LATE_USERS < <(sort -u "$RESULTS/database-users.txt" 2>/dev/null | sed "s|^$ROOT/||" \
  | grep -vxF -f "$RESULTS/database-users-static.txt" \
  | node scripts/test-report/database-passes.mjs late /dev/stdin || true)
if [ "${#LATE_USERS[@]}" -gt 0 ]; then
  say "integration tests against Debian PostgreSQL (DATABASE_URL): ${#LATE_USERS[@]} more files that read it"
  DATABASE_URL="$EXT_DATABASE_URL" VITEST_RUN_REPORT="$RESULTS/vitest-external-db-late.json" \
    run_tests vitest-external-db-late \
    pnpm exec vitest run --project integration --reporter=default --reporter="$VITEST_REPORTER" "${LATE_USERS[@]}"
fi

[ "$FIRST_PID" = "$CHECKS_PID" ] || wait "$CHECKS_PID" || true
say "format check, lint and typecheck: output"
cat "$RESULTS/checks.log"
read -r checks_passed checks_failed < "$RESULTS/checks.counts" 2>/dev/null || { checks_passed=0; checks_failed=3; }

say "summary"
node scripts/summarize-results.mjs "$RESULTS" "$checks_passed" "$checks_failed"
