// The same same-origin rule for ?next= on the server (refresh redirects, middleware) as in the browser.
export { safeNext as safeNextPath } from "@/lib/client/safe-next";
