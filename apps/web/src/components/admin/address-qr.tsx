import { useMemo } from "react";
import { qrPath } from "../../lib/qr-path.ts";

/** A scannable QR code of a wallet address (drawn as SVG, no image request), for funding from a phone wallet. */
export function AddressQr({ address, label }: { address: string; label: string }) {
  const { size, path } = useMemo(() => qrPath(address), [address]);
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
