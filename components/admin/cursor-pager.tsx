"use client";
// "Previous page" / "Next page" for the admin listings' cursor pages. The panel keeps the refs
// and `pagedWith` to put focus back on the button that was used once the new page has loaded.
// While a page loads they do nothing, and say so (aria-disabled, which keeps focus where it is).
import type { RefObject } from "react";
import { Button } from "@/components/ui/button";
import type { ListUrl } from "./list-url";

export type PagedWith = RefObject<"next" | "previous" | null>;

export function CursorPager(props: {
  label: string;
  url: ListUrl;
  nextCursor: string | null | undefined;
  loading: boolean;
  pagedWith: PagedWith;
  previousRef: RefObject<HTMLButtonElement | null>;
  nextRef: RefObject<HTMLButtonElement | null>;
}) {
  const { url, nextCursor, loading, pagedWith } = props;
  return (
    <nav aria-label={props.label} className="flex items-center justify-between gap-3">
      <Button
        ref={props.previousRef}
        variant="secondary"
        size="sm"
        disabled={url.previousCursor === undefined}
        aria-disabled={loading || undefined}
        onClick={() => {
          if (loading) return;
          pagedWith.current = "previous";
          url.goPrevious();
        }}
      >
        Previous page
      </Button>
      <Button
        ref={props.nextRef}
        variant="secondary"
        size="sm"
        disabled={!nextCursor}
        aria-disabled={loading || undefined}
        onClick={() => {
          if (loading || !nextCursor) return;
          pagedWith.current = "next";
          url.goNext(nextCursor);
        }}
      >
        Next page
      </Button>
    </nav>
  );
}
