import type { CatalogService } from "@tollgate/core/discovery/index";
import Link from "next/link";
import { OfferStatusBadges } from "./offer-status-badges.tsx";

/** One listed offer on the storefront home. */
export function OfferCard({ service }: { service: CatalogService }) {
  const headingId = `offer-${service.name}`;
  return (
    <li>
      <article
        aria-labelledby={headingId}
        className="flex h-full flex-col rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <div className="flex items-start justify-between gap-3">
          <h3 id={headingId} className="text-lg font-semibold text-slate-900">
            <Link
              href={`/offers/${service.name}`}
              className="underline decoration-slate-300 underline-offset-4 hover:decoration-slate-600"
            >
              {service.name}
            </Link>
          </h3>
          <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">{service.type}</span>
        </div>
        {service.model ? <p className="mt-1 font-mono text-xs text-slate-600">model {service.model}</p> : null}
        <p className="mt-3 flex-1 text-sm leading-relaxed text-slate-700">{service.description}</p>
        <p className="mt-4 text-base font-semibold text-slate-900">
          {service.price} <span className="text-sm font-normal text-slate-600">on {service.network}</span>
        </p>
        {service.priceApproximation ? <p className="text-xs text-slate-600">{service.priceApproximation}</p> : null}
        <div className="mt-4">
          <OfferStatusBadges service={service} />
        </div>
      </article>
    </li>
  );
}
