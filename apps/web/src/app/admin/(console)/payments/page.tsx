import type { Metadata } from "next";
import { PaymentsBrowser } from "../../../../components/admin/payments-browser.tsx";

export const metadata: Metadata = { title: "Payments" };

export default function AdminPaymentsPage() {
  return <PaymentsBrowser />;
}
