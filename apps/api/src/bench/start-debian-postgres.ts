import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../testing/serve-process.ts";

/**
 * A throwaway Debian PostgreSQL on a free loopback port (the server `scripts/test.sh` uses for its
 * DATABASE_URL pass): initdb with trust auth in a temporary directory, run as the `postgres` user when root.
 */
export async function startDebianPostgres(): Promise<{ url: string; stop(): void }> {
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort() : [];
  const bin = versions.length ? join("/usr/lib/postgresql", versions[versions.length - 1] as string, "bin") : "";
  if (!bin || !existsSync(join(bin, "postgres"))) {
    throw new Error("Debian PostgreSQL is not installed (apt-get install postgresql), and DATABASE_URL is not set");
  }
  const dir = mkdtempSync(join(tmpdir(), "tollgate-bench-pg-"));
  const root = process.getuid?.() === 0;
  const asPostgres = (command: string) =>
    execFileSync(root ? "su" : "sh", root ? ["postgres", "-s", "/bin/sh", "-c", command] : ["-c", command], {
      stdio: "ignore",
    });
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    chownSync(dir, uid, -1);
    chmodSync(dir, 0o711);
  }
  const port = await freePort();
  asPostgres(`${bin}/initdb -D ${dir}/data --auth=trust --username=postgres --encoding=UTF8 --locale=C`);
  asPostgres(
    `${bin}/pg_ctl -D ${dir}/data -l ${dir}/log -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300' -w start`,
  );
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asPostgres(`${bin}/pg_ctl -D ${dir}/data -m fast stop`);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
