import type { ReactNode } from "react";

/** `0x12345678…abcd`: the start and end of an address or hash, or a dash when there is none. */
export function shortHex(value: string | null, head: number, tail: number): string {
  return value ? `${value.slice(0, head)}…${value.slice(-tail)}` : "—";
}

/** The frame both payment tables share: a scrolling card, a caption for screen readers, a header row. */
export function PaymentTableShell({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-3 py-2">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
