import { useMemo } from "react";
import { qrPath } from "../../lib/qr-path.ts";

/**
 * A scannable QR code (drawn as SVG, no image request) of what a phone wallet needs to fund an address: the
 * address itself, or its EIP-681 payment URI (`ethereum:<address>@<chainId>`) that also names the chain.
 */
export function AddressQr({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => qrPath(text), [text]);
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="address-qr"
      viewBox={`0 0 ${size} ${size}`}
      width={160}
      height={160}
      shapeRendering="crispEdges"
      className="rounded border border-slate-200"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
