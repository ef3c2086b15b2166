// The page's path with its query, for the sign-in round trip: a list opened from a shared link,
// or reloaded after the access token expired, comes back with its filters.

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export function listPath(pathname: string, params: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, one);
  }
  const search = query.toString();
  return search ? `${pathname}?${search}` : pathname;
}
