import { z } from "zod";
import { TollgateError } from "../errors/error-codes.ts";
import { parseDuration } from "../offers/parse-duration.ts";

const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** The longest range the analytics answer for (rollups are kept forever; a year is plenty for a page). */
const maxRangeSeconds = 400 * 86_400;

/** A range such as `24h`, `7d`, `30d` (see parseDuration), from now back. */
export const analyticsSinceSchema = z
  .string()
  .trim()
  .min(2)
  .max(16)
  .regex(/^(\d+[mhd])+$/, "use a duration such as 24h, 7d or 30d");

/** A resolved range: `from` is aligned to its bucket, so every bucket in the series is whole but the last. */
export interface AnalyticsRange {
  from: Date;
  to: Date;
  bucket: "hour" | "day";
  /** Bucket starts from `from` to the current bucket, in order. */
  buckets: Date[];
}

/**
 * Resolves `since` against `now`: hour buckets up to 48 h, day buckets (UTC) beyond. `24h` covers the
 * current hour and the 23 before it; `7d` today and the 6 days before.
 */
export function resolveAnalyticsRange({ since, now }: { since: string; now: Date }): AnalyticsRange {
  const seconds = parseDuration(since, "since");
  if (seconds < 3_600 || seconds > maxRangeSeconds) {
    throw new TollgateError("VALIDATION_FAILED", `since: "${since}" is outside 1h … 400d`, {
      field: "since",
      hint: "Use e.g. 24h, 7d or 30d",
    });
  }
  const bucket = seconds <= 48 * 3_600 ? "hour" : "day";
  const size = bucket === "hour" ? hourMs : dayMs;
  const count = Math.ceil((seconds * 1000) / size);
  const current = Math.floor(now.getTime() / size) * size;
  const from = current - (count - 1) * size;
  const buckets = Array.from({ length: count }, (_, i) => new Date(from + i * size));
  return { from: new Date(from), to: now, bucket, buckets };
}
