import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/lib/auth/session-store";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { completeSignIn } from "../auth/login";
import { refresh } from "../auth/refresh";
import { describeCurrentSession } from "./current-session";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const NONE = { totp: false, passkeys: 0 };

describe("describeCurrentSession", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  it("says when and from where the sign-in happened, even after refreshes from elsewhere", async () => {
    const user = await seedUser(deps);
    const started = deps.clock.now().toISOString();
    const signIn = { address: "198.51.100.4", userAgent: FIREFOX };
    const sessionUser = { ...user, email: null, emailVerified: false, role: "user" as const, createdAt: deps.clock.now() };
    const tokens = await completeSignIn(deps, { user: sessionUser, meta: signIn, factors: NONE, method: "password" });
    deps.clock.advance(60_000);
    await refresh(deps, { refreshToken: tokens.refreshToken, meta: { address: "203.0.113.50", userAgent: "curl/8.5.0" } });

    expect(await describeCurrentSession(deps, { userId: user.id, sessionId: tokens.sessionId })).toEqual({
      startedAt: started,
      startedFrom: { address: "198.51.100.4", device: "Firefox on Linux" },
      lastUsedAt: deps.clock.now().toISOString(),
      lastUsedFrom: { address: "203.0.113.50", device: "curl/8.5.0" },
    });
  });

  it("has no start place without a sign-in event, and nothing for someone else's session", async () => {
    const user = await seedUser(deps);
    const other = await seedUser(deps);
    const { sessionId } = await createSession(deps, { userId: user.id, address: null, userAgent: null });
    expect(await describeCurrentSession(deps, { userId: user.id, sessionId })).toMatchObject({
      startedFrom: null,
      lastUsedFrom: { address: null, device: "Unknown device" },
    });
    expect(await describeCurrentSession(deps, { userId: other.id, sessionId })).toBeNull();
  });
});
