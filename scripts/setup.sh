#!/usr/bin/env bash
# Installs pnpm (pinned), the dependencies, the web build and the CLI bundle; safe to run again.
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_dependencies
ensure_web_build
ensure_cli_bundle
