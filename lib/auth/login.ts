// The login use case: throttle → find account → verify (a dummy comparison when there is no
// account, so timing does not tell) → disabled check only after a correct password → session.
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "./audit";
import { deviceKnows, issueDevice } from "./device";
import { issueTokens, type IssuedTokens } from "./issue";
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from "./password";
import { createSession, toSessionUser } from "./session-store";
import { getThrottle } from "./throttle";

export type LoginInput = { identifier: string; password: string; address: string; userAgent: string | null; device?: string };
export type LoginResult = IssuedTokens & { device: string };

function describeWait(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

function throttled(retryAfterSeconds: number): AppError {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError("too_many_attempts", {
    message: `Too many attempts. Try again in ${describeWait(wait)}.`,
    headers: { "retry-after": String(wait) },
  });
}

export async function login(input: LoginInput): Promise<LoginResult> {
  const db = getDb();
  const meta = { address: input.address, userAgent: input.userAgent, subject: input.identifier };
  const user = await db.user.findFirst({
    where: input.identifier.includes("@") ? { email: input.identifier } : { username: input.identifier },
    select: { id: true, username: true, email: true, role: true, disabled: true, createdAt: true, passwordHash: true },
  });
  const trustedDevice = user ? await deviceKnows(input.device, user.id) : false;
  const throttle = getThrottle();
  const key = { address: input.address, account: input.identifier };
  const verdict = await throttle.beginLogin({ ...key, trustedDevice });
  if (!verdict.allowed) {
    await audit(db, { type: "login_throttled", userId: user?.id, ...meta, detail: { rule: verdict.rule } });
    throw throttled(verdict.retryAfterSeconds);
  }

  let ok: boolean;
  try {
    ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyDummy(input.password);
  } catch (e) {
    await throttle.loginAborted(key).catch(() => undefined);
    throw e;
  }
  if (!user || !ok) {
    const after = await throttle.loginFailed(key, { begun: true });
    await audit(db, { type: "login_failure", userId: user?.id, ...meta });
    if (!after.allowed) await audit(db, { type: "login_lockout", userId: user?.id, ...meta, detail: { rule: after.rule, retryAfterSeconds: after.retryAfterSeconds } });
    throw new AppError("invalid_credentials");
  }
  if (user.disabled) {
    // A correct password: not a failure to count against the person, and not a sign-in either.
    await throttle.loginAborted(key);
    await audit(db, { type: "login_disabled", userId: user.id, ...meta });
    throw new AppError("account_disabled");
  }
  await throttle.loginSucceeded(key, { begun: true });
  if (needsRehash(user.passwordHash)) {
    // The cost factor was raised since this hash was made: upgrade it while we hold the password.
    const passwordHash = await hashPassword(input.password);
    await db.user.update({ where: { id: user.id }, data: { passwordHash }, select: { id: true } });
  }
  const session = await createSession(db, { userId: user.id, address: input.address, userAgent: input.userAgent });
  await audit(db, { type: "login_success", userId: user.id, actorId: user.id, ...meta, detail: { sessionId: session.sessionId } });
  const tokens = await issueTokens(session, toSessionUser(user));
  return { ...tokens, device: await issueDevice(input.device, user.id) };
}
