import type { Metadata } from "next";
import { OfferForm } from "../../../../../components/admin/offer-form.tsx";

export const metadata: Metadata = { title: "New offer" };

export default function NewOfferPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New offer</h1>
      <OfferForm />
    </div>
  );
}
