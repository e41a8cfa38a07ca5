import type { Metadata } from "next";
import { Overview } from "../../../components/admin/overview.tsx";

export const metadata: Metadata = { title: "Admin" };

export default function AdminOverviewPage() {
  return <Overview />;
}
