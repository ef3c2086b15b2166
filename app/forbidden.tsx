import type { Metadata } from "next";
import { ForbiddenView } from "@/components/auth/forbidden-view";

export const metadata: Metadata = { title: "Forbidden" };

export default function Forbidden() {
  return <ForbiddenView />;
}
