import type { ServiceCatalog } from "@tollgate/core/discovery/index";
import { getServerOrigin } from "./server-origin.ts";

export type CatalogResult =
  | { ok: true; catalog: ServiceCatalog }
  | { ok: false; status: number | null; message: string };

/** The public catalog (`/api/services.json`), the same document agents read. Never cached: it changes live. */
export async function fetchServiceCatalog(): Promise<CatalogResult> {
  const origin = getServerOrigin();
  try {
    const response = await fetch(`${origin}/api/services.json`, {
      cache: "no-store",
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) {
      return { ok: false, status: response.status, message: `The catalog answered HTTP ${response.status}` };
    }
    return { ok: true, catalog: (await response.json()) as ServiceCatalog };
  } catch (error) {
    return { ok: false, status: null, message: error instanceof Error ? error.message : "The catalog is unreachable" };
  }
}
