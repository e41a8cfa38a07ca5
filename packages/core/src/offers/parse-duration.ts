import { TollgateError } from "../errors/error-codes.ts";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** Parses a duration such as `30s`, `2m`, `1h`, `1h30m` or a bare number of seconds into whole seconds. */
export function parseDuration(text: string, field = "grace"): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new TollgateError("VALIDATION_FAILED", `"${text}" is not a duration`, {
      field,
      hint: "Use e.g. 30s, 5m, 1h or 1h30m",
    });
  }
  return parts.reduce((total, p) => total + Number(p[1]) * (UNITS[p[2] ?? "s"] ?? 1), 0);
}

/** A short human form of seconds: `2s`, `5m`, `1h30m`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}
