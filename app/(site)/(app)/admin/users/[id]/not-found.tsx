import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";

export default function UserNotFound() {
  return (
    <>
      <PageHeader title="No such user" description="The account may have been deleted, or the address is mistyped." />
      <Link href="/admin" className={buttonClasses("secondary")}>
        Back to all users
      </Link>
    </>
  );
}
