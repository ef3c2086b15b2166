"use client";
// What the site's not-found and forbidden boundaries show (app/(site)/not-found.tsx, forbidden.tsx).
// Next renders a boundary's element on every request through its segment, ready for a
// notFound() or forbidden() call, and sends it in the page's payload. As server components, the
// two status pages (each with its own header) were rendered and serialized with every page; as
// client components they cost a reference and the viewer, and are rendered only when shown.
import { ForbiddenView } from "@/components/auth/forbidden-view";
import type { HeaderViewer } from "@/components/ui/app-header";
import { NotFoundBody } from "./not-found-body";

export function NotFoundBoundaryView({ viewer }: { viewer: HeaderViewer }) {
  return <NotFoundBody viewer={viewer} />;
}

export function ForbiddenBoundaryView({ viewer }: { viewer: HeaderViewer }) {
  return <ForbiddenView viewer={viewer} />;
}
