import { HomeView } from "@/components/pages/home-view";

/** "/" for someone signed out. */
export default function PrerenderedHome() {
  return <HomeView signedIn={false} />;
}
