import type { Metadata } from "next";
import { OfferDetail } from "../../../../../components/admin/offer-detail.tsx";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function AdminOfferPage({ params }: Props) {
  const { name } = await params;
  return <OfferDetail name={name} />;
}
