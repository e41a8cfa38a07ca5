import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's `schemas/` directory (JSON Schemas of the public documents). */
export const schemasDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "schemas");

/** The schema files served under `/schemas/<file>`. */
export const schemaFileNames = ["service-catalog.schema.json", "agent-registration-v1.schema.json"] as const;
export type SchemaFileName = (typeof schemaFileNames)[number];

/** Reads and parses one of the repository's JSON Schemas. */
export function readSchemaFile(name: SchemaFileName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemasDir, name), "utf8")) as Record<string, unknown>;
}
