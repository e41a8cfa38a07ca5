import { formatDuration } from "./format-duration.ts";

/** `12 s ago`, `3 min 5 s ago`; `just now` under a second. */
export function formatAgo(iso: string | Date, now: number): string {
  const at = typeof iso === "string" ? new Date(iso).getTime() : iso.getTime();
  const seconds = (now - at) / 1000;
  if (seconds < 1) return "just now";
  return `${formatDuration(seconds)} ago`;
}

/** A readable UTC timestamp: `2026-11-23 14:05:09 UTC`. */
export function formatTimestamp(iso: string | Date): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}
