/** The pages the middleware guards: a visit without a valid access token goes through the refresh hop. Edge-safe. */
export const PROTECTED_PAGES = ["/dashboard", "/account", "/admin"];
