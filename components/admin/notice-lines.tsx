import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import type { Notice } from "./types";

/** Both live regions stay mounted, so either kind of message is announced when it appears. */
export function NoticeLines({ notice, className = "" }: { notice: Notice | null; className?: string }) {
  return (
    <>
      <ErrorAlert className={className} message={notice?.tone === "error" ? notice.text : null} />
      <StatusMessage className={className} message={notice?.tone === "success" ? notice.text : null} />
    </>
  );
}
