import type { Metadata } from "next";
import { EditOfferLoader } from "../../../../../../components/admin/edit-offer-loader.tsx";

export const metadata: Metadata = { title: "Edit offer" };

export default async function EditOfferPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Edit {name}</h1>
      <EditOfferLoader name={name} />
    </div>
  );
}
