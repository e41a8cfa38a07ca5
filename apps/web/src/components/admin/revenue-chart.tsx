import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import type { DayBucket } from "../../lib/bucket-revenue-by-day.ts";

const palette = ["#047857", "#0369a1", "#7c3aed", "#b45309", "#be123c"];

/**
 * Revenue per day as stacked bars, one colour per chain. An SVG with a text alternative: the same numbers
 * are in a visually hidden table for screen readers.
 */
export function RevenueChart({
  buckets,
  decimals,
  symbol,
  title,
}: {
  buckets: DayBucket[];
  decimals: number;
  symbol: string;
  title: string;
}) {
  const chains = [...new Set(buckets.flatMap((b) => Object.keys(b.byChain)))].sort();
  const totals = buckets.map((b) => Object.values(b.byChain).reduce((a, v) => a + v, 0n));
  // biome-ignore lint/complexity/useMathMinMax: bigint amounts; Math.max takes numbers only.
  const max = totals.reduce((a, v) => (v > a ? v : a), 0n);
  const width = 560;
  const height = 160;
  const barWidth = width / Math.max(1, buckets.length);
  const scale = (v: bigint) => (max === 0n ? 0 : Number((v * 1000n) / max) / 1000) * (height - 20);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold text-slate-900">{title}</figcaption>
      {max === 0n ? (
        <p className="text-sm text-slate-600">No settled payments in this period.</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: bar chart`} className="h-40 w-full">
            {buckets.map((b, i) => {
              let y = height;
              return chains.map((chain, ci) => {
                const value = b.byChain[chain] ?? 0n;
                const h = scale(value);
                y -= h;
                return value > 0n ? (
                  <rect
                    key={`${b.day}-${chain}`}
                    x={i * barWidth + 2}
                    y={y}
                    width={Math.max(1, barWidth - 4)}
                    height={h}
                    fill={palette[ci % palette.length]}
                  >
                    <title>{`${b.day} ${chain}: ${formatAtomicAmount({ amount: value.toString(), decimals })} ${symbol}`}</title>
                  </rect>
                ) : null;
              });
            })}
          </svg>
          <ul className="flex flex-wrap gap-3 text-xs text-slate-700">
            {chains.map((chain, ci) => (
              <li key={chain} className="flex items-center gap-1">
                <span
                  aria-hidden="true"
                  className="inline-block size-3 rounded-sm"
                  style={{ background: palette[ci % palette.length] }}
                />
                {chain}
              </li>
            ))}
          </ul>
          <table className="sr-only">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {chains.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.day}>
                  <th scope="row">{b.day}</th>
                  {chains.map((c) => (
                    <td key={c}>{formatAtomicAmount({ amount: (b.byChain[c] ?? 0n).toString(), decimals })}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
