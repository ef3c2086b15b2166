// The browser's apiFetch: createApiFetch wired to window.fetch and the shared refresher.
import { type ApiFetch, createApiFetch } from "./api-fetch-core";
import { loginUrlForCurrentPage, refreshSession } from "./session";

let instance: ApiFetch | undefined;

export function apiFetch(input: string, init?: RequestInit): Promise<Response> {
  instance ??= createApiFetch({
    fetch: (url, request) => window.fetch(url, request),
    refresh: refreshSession,
    onSignedOut: () => window.location.assign(loginUrlForCurrentPage()),
  });
  return instance(input, init);
}

/** JSON body helper: `apiFetch(url, jsonRequest("PATCH", { role }))`. */
export function jsonRequest(method: string, body?: unknown): RequestInit {
  return body === undefined ? { method } : { method, body: JSON.stringify(body) };
}
