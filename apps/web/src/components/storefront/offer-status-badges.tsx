import type { CatalogService } from "@tollgate/core/discovery/index";
import { formatTimestamp } from "../../lib/format-time.ts";

const badge = "inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold";

/** Availability, test-chain, demo and registration badges of a listed offer. */
export function OfferStatusBadges({ service }: { service: CatalogService }) {
  return (
    <ul aria-label="Status" className="flex flex-wrap gap-2">
      <li>
        {service.drainEndsAt ? (
          <span className={`${badge} bg-amber-100 text-amber-900`}>
            draining · ends <time dateTime={service.drainEndsAt}>&nbsp;{formatTimestamp(service.drainEndsAt)}</time>
          </span>
        ) : (
          <span className={`${badge} bg-emerald-100 text-emerald-900`}>available</span>
        )}
      </li>
      {service.testnet ? (
        <li>
          <span className={`${badge} bg-sky-100 text-sky-900`}>test chain · no real money</span>
        </li>
      ) : null}
      {service.isDemo ? (
        <li>
          <span className={`${badge} bg-violet-100 text-violet-900`}>demo</span>
        </li>
      ) : null}
      <li>
        <span className={`${badge} bg-slate-100 text-slate-800`}>
          {service.registrationPending ? "registration pending" : "listed"}
        </span>
      </li>
    </ul>
  );
}
