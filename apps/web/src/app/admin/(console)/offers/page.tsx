import type { Metadata } from "next";
import { Suspense } from "react";
import { OffersTable } from "../../../../components/admin/offers-table.tsx";

export const metadata: Metadata = { title: "Offers" };

export default function AdminOffersPage() {
  // The table reads its search and filters from the URL.
  return (
    <Suspense>
      <OffersTable />
    </Suspense>
  );
}
