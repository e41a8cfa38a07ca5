/** A count in the viewer's locale (`12,345` / `12.345`). */
export function formatCount(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A token amount given as a decimal string (exact, no float rounding), grouped in the viewer's locale. */
export function formatTokenAmount(decimal: string, locale?: string): string {
  // Intl formats decimal strings exactly (no conversion to a float); up to 6 fraction digits for USDC.
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 18 }).format(decimal as unknown as number);
}

/** A ratio as a percentage in the viewer's locale; `–` when there is none. */
export function formatPercent(value: number | null, locale?: string): string {
  return value === null
    ? "–"
    : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
}

/** Milliseconds, e.g. `1,250 ms`; `–` when unknown. */
export function formatMs(value: number | null, locale?: string): string {
  return value === null ? "–" : `${formatCount(value, locale)} ms`;
}
