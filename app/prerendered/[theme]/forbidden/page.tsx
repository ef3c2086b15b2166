import type { Metadata } from "next";
import { ForbiddenView } from "@/components/auth/forbidden-view";
import { PrerenderedPath } from "@/components/ui/theme-toggle";

export const metadata: Metadata = { title: "Forbidden" };

/** /403 for someone signed out; server.ts sends it with the 403 status (lib/edge/prerendered.ts). */
export default function PrerenderedForbidden() {
  return (
    <PrerenderedPath path="/403">
      <ForbiddenView viewer={null} />
    </PrerenderedPath>
  );
}
