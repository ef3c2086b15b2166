import type { Metadata } from "next";
import { NotFoundBody } from "@/components/pages/not-found-body";
import { PrerenderedPath } from "@/components/ui/theme-toggle";

export const metadata: Metadata = { title: "Page not found" };

/**
 * An address the build has no page for, visited by someone signed out; server.ts sends it with
 * the 404 status (lib/http/known-routes.ts). The theme form without JavaScript returns home: the
 * address that was asked for is not known when the copy is built.
 */
export default function PrerenderedNotFound() {
  return (
    <PrerenderedPath path="/">
      <NotFoundBody viewer={null} />
    </PrerenderedPath>
  );
}
