import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import type { RevenueBucket } from "../../lib/bucket-revenue-series.ts";
import { formatTokenAmount } from "../../lib/format-number.ts";

const palette = ["#047857", "#0369a1", "#7c3aed", "#b45309", "#be123c"];

function bucketLabel(iso: string, bucket: "hour" | "day"): string {
  const date = new Date(iso);
  return bucket === "hour"
    ? new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }).format(date)
    : new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" }).format(date);
}

/**
 * Settled revenue per bucket as stacked bars, one colour per chain (test chains marked in the legend).
 * Hand-rolled SVG: it renders the same on the server and in the browser, and the numbers are also in a
 * visually hidden table for screen readers.
 */
export function RevenueChart({
  buckets,
  bucket,
  decimals,
  symbol,
  title,
  testChains,
}: {
  buckets: RevenueBucket[];
  bucket: "hour" | "day";
  decimals: number;
  symbol: string;
  title: string;
  testChains: ReadonlySet<string>;
}) {
  const chains = [...new Set(buckets.flatMap((b) => Object.keys(b.byChain)))].sort();
  const totals = buckets.map((b) => Object.values(b.byChain).reduce((a, v) => a + v, 0n));
  // biome-ignore lint/complexity/useMathMinMax: bigint amounts; Math.max takes numbers only.
  const max = totals.reduce((a, v) => (v > a ? v : a), 0n);
  const sum = totals.reduce((a, v) => a + v, 0n);
  const width = 640;
  const height = 180;
  const top = 14;
  const bottom = 20;
  const plot = height - top - bottom;
  const barWidth = width / Math.max(1, buckets.length);
  const scale = (v: bigint) => (max === 0n ? 0 : Number((v * 10_000n) / max) / 10_000) * plot;
  const amount = (v: bigint) => formatTokenAmount(formatAtomicAmount({ amount: v.toString(), decimals }));
  const ticks = [0, Math.floor((buckets.length - 1) / 2), buckets.length - 1].filter(
    (i, at, all) => i >= 0 && all.indexOf(i) === at,
  );
  return (
    <figure className="space-y-2" data-testid="revenue-chart" data-total={sum.toString()}>
      <figcaption className="text-sm font-semibold text-slate-900">{title}</figcaption>
      {max === 0n ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-700">
          No settled payments in this range. Widen the range, or make a paid request to an offer (its page shows a curl
          example) and it appears here within seconds.
        </p>
      ) : (
        <>
          <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: bar chart`} className="h-44 w-full">
            <text x={2} y={10} fontSize={10} fill="#334155">
              {`${amount(max)} ${symbol}`}
            </text>
            <line x1={0} x2={width} y1={top + plot} y2={top + plot} stroke="#cbd5e1" />
            {buckets.map((b, i) => {
              let y = top + plot;
              return chains.map((chain, ci) => {
                const value = b.byChain[chain] ?? 0n;
                const h = scale(value);
                y -= h;
                return value > 0n ? (
                  <rect
                    key={`${b.t}-${chain}`}
                    x={i * barWidth + 1}
                    y={y}
                    width={Math.max(1, barWidth - 2)}
                    height={Math.max(1, h)}
                    fill={palette[ci % palette.length]}
                  >
                    <title>{`${bucketLabel(b.t, bucket)} · ${chain}: ${amount(value)} ${symbol}`}</title>
                  </rect>
                ) : null;
              });
            })}
            {ticks.map((i) => {
              const b = buckets[i];
              if (!b) return null;
              const anchor = i === 0 ? "start" : i === buckets.length - 1 ? "end" : "middle";
              const x = i === 0 ? 0 : i === buckets.length - 1 ? width : i * barWidth + barWidth / 2;
              return (
                <text key={b.t} x={x} y={height - 4} fontSize={10} fill="#334155" textAnchor={anchor}>
                  {bucketLabel(b.t, bucket)}
                </text>
              );
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
                {testChains.has(chain) ? " (test, not revenue)" : ""}
              </li>
            ))}
          </ul>
          <table className="sr-only">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{bucket === "hour" ? "Hour" : "Day"}</th>
                {chains.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.t}>
                  <th scope="row">{bucketLabel(b.t, bucket)}</th>
                  {chains.map((c) => (
                    <td key={c}>{amount(b.byChain[c] ?? 0n)}</td>
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
