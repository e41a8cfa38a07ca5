import type { Metadata } from "next";
import { OffersTable } from "../../../../components/admin/offers-table.tsx";

export const metadata: Metadata = { title: "Offers" };

export default function AdminOffersPage() {
  return <OffersTable />;
}
