#!/usr/bin/env bash
# Installs pnpm (pinned), the dependencies and the web build; safe to run again.
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_dependencies
ensure_web_build
