import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CatalogUnavailable } from "../../../components/storefront/catalog-unavailable.tsx";
import { CodeSnippet } from "../../../components/storefront/code-snippet.tsx";
import { OfferStatusBadges } from "../../../components/storefront/offer-status-badges.tsx";
import { TryItPanel } from "../../../components/storefront/try-it-panel.tsx";
import { discoveryDocuments } from "../../../lib/discovery-documents.ts";
import { renderCurlSnippet, renderX402FetchSnippet } from "../../../lib/render-buyer-snippets.ts";
import { fetchStorefrontOffer } from "../../../lib/server/fetch-storefront-offer.ts";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 border-t border-slate-100 py-2.5 first:border-t-0 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="break-all text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

export default async function OfferPage({ params }: Props) {
  const { name } = await params;
  const result = await fetchStorefrontOffer(name);
  if (!result.ok && result.notFound) notFound();
  if (!result.ok) return <CatalogUnavailable message={result.message} />;
  const { service } = result;
  return (
    <div className="space-y-10">
      <div>
        <p className="text-sm">
          <Link href="/#offers" className="text-emerald-800 underline underline-offset-4">
            ← All offers
          </Link>
        </p>
        <h1 className="mt-3 text-3xl font-semibold tracking-tight">{service.name}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{service.description}</p>
        <div className="mt-4">
          <OfferStatusBadges service={service} />
        </div>
      </div>

      <section aria-labelledby="details-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="details-heading" className="text-xl font-semibold">
          Endpoint and price
        </h2>
        <dl className="mt-3">
          <Fact label="Endpoint">
            <code className="font-mono">{service.endpoint}</code>
          </Fact>
          <Fact label="Type">{service.type}</Fact>
          {service.model ? <Fact label="Model">{service.model}</Fact> : null}
          <Fact label="Price">
            <span className="font-semibold">{service.price}</span>
            {service.priceApproximation ? (
              <span className="block text-xs text-slate-600">{service.priceApproximation}</span>
            ) : null}
          </Fact>
          <Fact label="Charged per request (atomic)">
            <code className="font-mono">{service.amountPerRequest}</code> (10^{service.asset.decimals} = 1{" "}
            {service.asset.symbol})
          </Fact>
          <Fact label="Chain">
            {service.network} · <code className="font-mono">{service.caip2Network}</code>
            {service.testnet ? " · test chain, no real money" : ""}
          </Fact>
          <Fact label="Asset">
            {service.asset.symbol} · <code className="font-mono">{service.asset.address}</code>
          </Fact>
          <Fact label="Paid to">
            <code className="font-mono">{service.payTo}</code>
          </Fact>
          {service.drainEndsAt ? <Fact label="Stops serving at">{service.drainEndsAt}</Fact> : null}
        </dl>
      </section>

      {service.network === "local" ? (
        <TryItPanel name={service.name} decimals={service.asset.decimals} symbol={service.asset.symbol} />
      ) : null}

      <section aria-labelledby="flow-heading">
        <h2 id="flow-heading" className="text-xl font-semibold">
          How to pay (x402)
        </h2>
        <ol className="mt-4 list-decimal space-y-2 pl-6 text-slate-700">
          <li>
            Call the endpoint. It answers <strong>402 Payment Required</strong> with the price in a{" "}
            <code className="font-mono">PAYMENT-REQUIRED</code> header (and as JSON): {service.amountPerRequest} atomic
            units of {service.asset.symbol} on {service.caip2Network}, paid to {service.payTo}.
          </li>
          <li>
            <strong>Sign</strong> an EIP-3009 <code className="font-mono">transferWithAuthorization</code> for exactly
            that amount with the buyer's wallet. Nothing is sent on chain by the buyer.
          </li>
          <li>
            <strong>Retry</strong> the same request with the signature in{" "}
            <code className="font-mono">PAYMENT-SIGNATURE</code>. The seller verifies it, calls the service, settles the
            transfer and answers 200 with a <code className="font-mono">PAYMENT-RESPONSE</code> receipt carrying the
            transaction hash.
          </li>
        </ol>
        <div className="mt-6 space-y-4">
          <CodeSnippet id="snippet-curl" title="curl" code={renderCurlSnippet(service)} />
          <CodeSnippet id="snippet-fetch" title="@x402/fetch" code={renderX402FetchSnippet(service)} />
        </div>
      </section>

      <section aria-labelledby="docs-heading">
        <h2 id="docs-heading" className="text-xl font-semibold">
          Machine-readable documents
        </h2>
        <ul className="mt-3 list-disc space-y-1 pl-6">
          {discoveryDocuments.map((doc) => (
            <li key={doc.href}>
              <a href={doc.href} className="text-emerald-800 underline underline-offset-4">
                {doc.title}
              </a>{" "}
              <span className="font-mono text-xs text-slate-600">{doc.href}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
