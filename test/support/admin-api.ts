// The admin API as the admin suites call it (admin-actions*.test.ts): one bearer's calls, the
// set-up link's token, the audit events of one admin.
import { expect } from "vitest";
import type { App } from "./app";

export const NEW_PASSWORD = "quiet lantern harbour meadow 47";

export type Admin = { id: string; username: string; token: string };

export const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";

/** Calls as one bearer: a script client, no cookies, so no same-origin check applies. */
export function as(app: App, bearer: string) {
  return {
    get: (path: string) => app.script().get(path, { bearer }),
    post: (path: string, body?: unknown) => app.script().post(path, body, { bearer }),
    patch: (path: string, body: unknown) => app.script().patch(path, body, { bearer }),
    delete: (path: string) => app.script().delete(path, { bearer }),
  };
}

export async function setPassword(app: App, token: string, password = NEW_PASSWORD): Promise<void> {
  const res = await app.script().post("/api/auth/password/reset", { token, password });
  expect(res.status, res.text).toBe(204);
}

export async function login(app: App, username: string, password: string) {
  return app.script().post("/api/auth/login", { username, password });
}

/** The admin's events, newest first, through the audit log's actor filter. */
export async function eventsBy(app: App, admin: Admin): Promise<{ type: string; actor: unknown; user: unknown; detail: unknown }[]> {
  const res = await as(app, admin.token).get(`/api/admin/audit?actor=${admin.id}&limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.body.events;
}
