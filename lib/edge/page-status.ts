/**
 * The status a page rendered per request must go out with, set by the middleware on its response
 * and applied (then removed) by server.ts when Next writes the head. Next keeps neither a
 * rewrite's status nor one a page could ask for; its forbidden() gives the status, but renders
 * the page's HTML as an error document with an empty body (the forbidden page only in the payload,
 * for the browser to draw), which is blank without JavaScript. Edge-safe.
 */
export const PAGE_STATUS_HEADER = "x-latchkey-page-status";

/** The pages that always answer with a status of their own, when rendered per request (signed in). */
export const PAGE_STATUSES: Readonly<Record<string, number>> = { "/403": 403 };
