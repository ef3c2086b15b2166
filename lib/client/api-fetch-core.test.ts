import { describe, expect, it } from "vitest";
import { createApiFetch, isAuthEndpoint } from "./api-fetch-core";
import type { RefreshResult } from "./session-refresher";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function harness(answers: Response[], refreshResult: RefreshResult) {
  const calls: { url: string; init: RequestInit }[] = [];
  const sinces: (number | undefined)[] = [];
  let refreshes = 0;
  let signedOut = 0;
  const apiFetch = createApiFetch({
    fetch: async (url, init) => {
      calls.push({ url, init });
      return answers.shift() ?? json(200, { ok: true });
    },
    refresh: async (options) => {
      refreshes++;
      sinces.push(options.since);
      return refreshResult;
    },
    onSignedOut: () => {
      signedOut++;
    },
    now: () => 42_000,
  });
  return { apiFetch, calls, sinces, counts: () => ({ refreshes, signedOut }) };
}

const EXPIRED = () => json(401, { code: "unauthorized", message: "Sign in." });
const REFRESHED: RefreshResult = { status: "refreshed", accessExpiresAt: 1, reused: false };

describe("createApiFetch", () => {
  it("sends JSON headers and same-origin credentials", async () => {
    const h = harness([], REFRESHED);
    await h.apiFetch("/api/admin/users/1", { method: "PATCH", body: JSON.stringify({ role: "admin" }) });
    const headers = new Headers(h.calls[0]?.init.headers);
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("accept")).toBe("application/json");
    expect(h.calls[0]?.init.credentials).toBe("same-origin");
  });

  it("does not add a content type to a bodiless request", async () => {
    const h = harness([], REFRESHED);
    await h.apiFetch("/api/sessions");
    expect(new Headers(h.calls[0]?.init.headers).has("content-type")).toBe(false);
  });

  it("refreshes once on 401 and retries once with the same request", async () => {
    const h = harness([EXPIRED(), json(200, { sessions: [] })], REFRESHED);
    const res = await h.apiFetch("/api/sessions", { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(h.calls.map((c) => c.init.method)).toEqual(["DELETE", "DELETE"]);
    expect(h.counts()).toEqual({ refreshes: 1, signedOut: 0 });
    // A refresh another tab finished after the request left counts as this one.
    expect(h.sinces).toEqual([42_000]);
  });

  it("returns the second 401 instead of looping", async () => {
    const h = harness([EXPIRED(), EXPIRED()], REFRESHED);
    const res = await h.apiFetch("/api/me");
    expect(res.status).toBe(401);
    expect(h.calls).toHaveLength(2);
    expect(h.counts().refreshes).toBe(1);
  });

  it("sends the person to sign in when the refresh says the session is gone", async () => {
    const h = harness([EXPIRED()], { status: "signed-out" });
    const res = await h.apiFetch("/api/me");
    expect(res.status).toBe(401);
    expect(h.calls).toHaveLength(1);
    expect(h.counts()).toEqual({ refreshes: 1, signedOut: 1 });
  });

  it("answers 503 without signing out when the refresh could not reach the server", async () => {
    const h = harness([EXPIRED()], { status: "unavailable" });
    const res = await h.apiFetch("/api/me");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "service_unavailable" });
    expect(h.counts()).toEqual({ refreshes: 1, signedOut: 0 });
  });

  it("treats a refresh that throws as unavailable", async () => {
    const calls: string[] = [];
    const apiFetch = createApiFetch({
      fetch: async (url) => {
        calls.push(url);
        return EXPIRED();
      },
      refresh: () => Promise.reject(new Error("boom")),
      onSignedOut: () => {
        throw new Error("must not sign out");
      },
    });
    expect((await apiFetch("/api/me")).status).toBe(503);
  });

  it.each(["/api/auth/login", "/api/auth/register", "/api/auth/refresh", "/api/auth/logout"])(
    "never refreshes for the auth endpoint %s",
    async (url) => {
      const h = harness([json(401, { code: "invalid_credentials", message: "Wrong." })], REFRESHED);
      expect((await h.apiFetch(url, { method: "POST", body: "{}" })).status).toBe(401);
      expect(h.counts().refreshes).toBe(0);
    },
  );

  it("does not refresh for a wrong current password (a 401 about credentials)", async () => {
    const h = harness([json(401, { code: "invalid_credentials", message: "Wrong password." })], REFRESHED);
    const res = await h.apiFetch("/api/account/password", { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(h.counts().refreshes).toBe(0);
  });

  it("passes other statuses straight through", async () => {
    const h = harness([json(409, { code: "last_admin", message: "Keep one admin." })], REFRESHED);
    expect((await h.apiFetch("/api/admin/users/1", { method: "PATCH", body: "{}" })).status).toBe(409);
    expect(h.counts().refreshes).toBe(0);
  });
});

describe("isAuthEndpoint", () => {
  it("matches only /api/auth/*", () => {
    expect(isAuthEndpoint("/api/auth/login")).toBe(true);
    expect(isAuthEndpoint("/api/auth/refresh?x=1")).toBe(true);
    expect(isAuthEndpoint("/api/authx")).toBe(false);
    expect(isAuthEndpoint("/api/account/password")).toBe(false);
  });

  it("leaves out step-up, which needs a live session", () => {
    expect(isAuthEndpoint("/api/auth/reauthenticate")).toBe(false);
  });
});

describe("step-up (/api/auth/reauthenticate)", () => {
  it("refreshes once for an expired access token, then retries", async () => {
    const h = harness([json(401, { code: "invalid_token", message: "Expired." }), new Response(null, { status: 204 })], REFRESHED);
    expect((await h.apiFetch("/api/auth/reauthenticate", { method: "POST", body: "{}" })).status).toBe(204);
    expect(h.counts().refreshes).toBe(1);
  });

  it("never refreshes for a wrong password", async () => {
    const h = harness([json(401, { code: "invalid_credentials", message: "The password is incorrect." })], REFRESHED);
    expect((await h.apiFetch("/api/auth/reauthenticate", { method: "POST", body: "{}" })).status).toBe(401);
    expect(h.counts().refreshes).toBe(0);
  });

  it("never retries a wrong step-up code, which would count twice against the throttle", async () => {
    const h = harness([json(401, { code: "invalid_code", message: "That code is not right." })], REFRESHED);
    expect((await h.apiFetch("/api/auth/reauthenticate", { method: "POST", body: "{}" })).status).toBe(401);
    expect(h.counts().refreshes).toBe(0);
  });
});
