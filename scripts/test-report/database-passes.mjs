// Which integration files run in which database pass of `scripts/test.sh`; the rule and the lists are
// in ./database-passes.json. Usage:
//   database-passes.mjs external USERS_FILE   the DATABASE_URL pass: the files in USERS_FILE (those that
//                                             use the database) except the embedded-only ones, plus the
//                                             DATABASE_URL-only ones
//   database-passes.mjs late USERS_FILE       of USERS_FILE, those that run against DATABASE_URL
//   database-passes.mjs embedded-excluded     the files the embedded pass leaves to DATABASE_URL
// A listed file that does not exist is an error: a renamed file must not silently leave a pass.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const { embeddedOnly, externalOnly } = JSON.parse(readFileSync(join(here, "database-passes.json"), "utf8"));

const missing = [...embeddedOnly, ...externalOnly].filter((f) => !existsSync(join(root, f)));
const both = embeddedOnly.filter((f) => externalOnly.includes(f));
if (missing.length > 0 || both.length > 0) {
  for (const f of missing) console.error(`database-passes.json lists ${f}, which does not exist`);
  for (const f of both) console.error(`database-passes.json lists ${f} as both embedded-only and DATABASE_URL-only`);
  process.exit(1);
}

const [mode, usersFile] = process.argv.slice(2);
const readList = (file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
const print = (files) => process.stdout.write(files.map((f) => `${f}\n`).join(""));

if (mode === "external") {
  const users = readList(usersFile).filter((f) => !embeddedOnly.includes(f));
  print([...new Set([...users, ...externalOnly])].sort());
} else if (mode === "late") {
  print(readList(usersFile).filter((f) => !embeddedOnly.includes(f)));
} else if (mode === "embedded-excluded") {
  print(externalOnly);
} else {
  console.error("usage: database-passes.mjs external|late USERS_FILE | embedded-excluded");
  process.exit(2);
}
