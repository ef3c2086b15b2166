import { HomeView } from "@/components/pages/home-view";
import { getViewer } from "@/lib/dal";

export default async function HomePage() {
  return <HomeView signedIn={(await getViewer()) !== null} />;
}
