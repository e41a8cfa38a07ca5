"use client";

import { useQuery } from "@tanstack/react-query";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { OfferForm } from "./offer-form.tsx";

/** Loads the offer, then shows the edit form filled with it. */
export function EditOfferLoader({ name }: { name: string }) {
  const trpc = useTRPC();
  const offer = useQuery(trpc.offers.show.queryOptions({ name }, { staleTime: Number.POSITIVE_INFINITY }));
  if (offer.error) return <ErrorMessage title="Could not load the offer" error={describeError(offer.error)} />;
  if (!offer.data) return <p role="status">Loading…</p>;
  return <OfferForm offer={offer.data} />;
}
