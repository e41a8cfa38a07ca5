import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Removes a temporary home and, for root-run clusters, the directory its `pg` link points to. */
export function removeTestHome(home: string): void {
  const pgLink = join(home, "pg");
  if (existsSync(pgLink) && lstatSync(pgLink).isSymbolicLink())
    rmSync(readlinkSync(pgLink), { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}

/** A new temporary TOLLGATE_HOME. */
export function makeTestHome(): string {
  return mkdtempSync(join(tmpdir(), "tollgate-test-"));
}
