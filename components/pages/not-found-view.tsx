import { getHeaderViewer } from "@/lib/dal";
import { NotFoundBody } from "./not-found-body";

/** The 404 page's body for app/global-not-found.tsx (an address the build has no page for). */
export async function NotFoundView() {
  return <NotFoundBody viewer={await getHeaderViewer()} />;
}
