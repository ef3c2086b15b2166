// The seeder's plan: the accounts (seed-accounts.ts) and what each did, from a seeded generator. It is
// computed before anything is written and only then turned into rows (seed-rows.ts): events are
// planned per account, then put in time order, because the audit chain's seq must follow time.
// A million events are kept in typed arrays, not objects, so the plan stays small and fast.
import { type AccountsInput, adminPicker, DAY, type Device, HOUR, MINUTE, planAccounts, type SeedUser } from "./seed-accounts";
import type { Rng } from "./seed-random";

export { DAY, type Device, HOUR, MINUTE, type SeedUser };

/** Event kinds, indexes into TYPES. */
export const K = {
  register: 0,
  emailVerificationSent: 1,
  emailVerified: 2,
  loginSuccess: 3,
  logout: 4,
  loginFailure: 5,
  passwordChanged: 6,
  passwordResetRequested: 7,
  passwordReset: 8,
  reauthenticated: 9,
  sessionRevoked: 10,
  otherSessionsRevoked: 11,
  logoutEverywhere: 12,
  roleChanged: 13,
  userDisabled: 14,
  loginDisabled: 15,
  sessionsRevokedByAdmin: 16,
  passwordResetByAdmin: 17,
  strangerFailure: 18,
  loginThrottled: 19,
} as const;

export const TYPES = [
  "register",
  "email_verification_sent",
  "email_verified",
  "login_success",
  "logout",
  "login_failure",
  "password_changed",
  "password_reset_requested",
  "password_reset",
  "reauthenticated",
  "session_revoked",
  "other_sessions_revoked",
  "logout_everywhere",
  "role_changed",
  "user_disabled",
  "login_disabled",
  "sessions_revoked_by_admin",
  "password_reset_by_admin",
  "login_failure",
  "login_throttled",
] as const;

/** Every sign-in the history mentions; only the last few still open become Session rows. */
type Login = { id: string; user: number; device: number; at: number; closedAt: number; closedReason: string | null };

export type SeedSession = {
  id: string;
  user: number;
  device: number;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  generation: number;
  revokedAt: number | null;
  revokedReason: string | null;
};

/** One planned event per index: what happened, to whom, when; `a`, `b`, `c` depend on the kind. */
export class EventTable {
  length = 0;
  time = new Float64Array(1024);
  user = new Int32Array(1024);
  kind = new Uint8Array(1024);
  /** A login (session) index, or an admin's user index (-1: the command line). */
  a = new Int32Array(1024);
  /** The user's device index, or -1 for an address that is not theirs. */
  b = new Int8Array(1024);
  /** A count, or which identifier a failed attempt named (0 username, 1 email). */
  c = new Uint16Array(1024);

  push(time: number, user: number, kind: number, a = -1, b = 0, c = 0): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.user[i] = user;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
  }

  private grow(): void {
    const size = this.time.length * 2;
    const grown = <T extends Float64Array | Int32Array | Uint8Array | Int8Array | Uint16Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.user = grown(this.user, (n) => new Int32Array(n));
    this.kind = grown(this.kind, (n) => new Uint8Array(n));
    this.a = grown(this.a, (n) => new Int32Array(n));
    this.b = grown(this.b, (n) => new Int8Array(n));
    this.c = grown(this.c, (n) => new Uint16Array(n));
  }

  /** Event indexes in time order; events of one account planned in order keep that order on ties. */
  timeOrder(): Uint32Array {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const t = this.time;
    return order.sort((x, y) => (t[x] as number) - (t[y] as number) || x - y);
  }
}

export type SeedPlan = {
  users: SeedUser[];
  logins: Login[];
  sessions: SeedSession[];
  events: EventTable;
  start: number;
  end: number;
};

/** The history lies in [start, end]: the past two years, or less when the log already has later events. */
export type PlanInput = AccountsInput & { refreshTokenTtl: number };

/** `n` sorted times in (from, to], denser towards `to` (people use an account more once they have it). */
function activityTimes(rng: Rng, n: number, from: number, to: number): number[] {
  const times: number[] = [];
  for (let k = 0; k < n; k++) times.push(Math.floor(from + (to - from) * Math.sqrt(rng.next())) + 1);
  return times.sort((x, y) => x - y);
}

function planHistory(input: PlanInput, users: SeedUser[]): Pick<SeedPlan, "logins" | "sessions" | "events"> {
  const { rng, end } = input;
  const events = new EventTable();
  const logins: Login[] = [];
  const sessions: SeedSession[] = [];
  const pickAdmin = adminPicker(users, rng);

  users.forEach((u, i) => {
    const c = u.createdAt;
    const open: number[] = [];
    const mine: number[] = [];
    let lastLogin = 0;
    const device = () => (rng.chance(0.7) ? 0 : rng.int(u.devices.length));
    const close = (login: number, at: number, reason: string) => {
      const l = logins[login] as Login;
      l.closedAt = at;
      l.closedReason = reason;
    };
    const closeAll = (at: number, reason: string, keep = -1) => {
      for (const s of open.splice(0)) {
        if (s === keep) open.push(s);
        else close(s, at, reason);
      }
    };
    const signIn = (t: number) => {
      const d = device();
      if (rng.chance(0.15)) events.push(t - 5_000 - rng.int(60_000), i, K.loginFailure, -1, d, rng.chance(0.3) && u.email ? 1 : 0);
      logins.push({ id: rng.uuid(), user: i, device: d, at: t, closedAt: Number.NaN, closedReason: null });
      open.push(logins.length - 1);
      mine.push(logins.length - 1);
      events.push(t, i, K.loginSuccess, logins.length - 1, d);
      lastLogin = t;
    };

    events.push(c, i, K.register, -1, 0);
    if (u.email) {
      events.push(c + 1_000 + rng.int(2_000), i, K.emailVerificationSent, -1, 0);
      if (rng.chance(0.8)) {
        u.emailVerifiedAt = Math.min(c + 2 * MINUTE + rng.int(3 * HOUR), end);
        events.push(u.emailVerifiedAt, i, K.emailVerified, -1, 0);
      }
    }
    if (u.promotedAt !== null) events.push(u.promotedAt, i, K.roleChanged, pickAdmin(u.promotedAt));

    const activeUntil = u.disabled ? c + Math.floor((end - c) * (0.3 + 0.65 * rng.next())) : end;
    const neverSignedIn = u.role === "user" && rng.chance(0.07);
    const r2 = rng.next();
    const n = neverSignedIn ? rng.int(3) : 2 + Math.floor(r2 * r2 * 15);
    for (const t of activityTimes(rng, n, c + 5 * MINUTE, activeUntil)) {
      const r = rng.next();
      const d = device();
      if (neverSignedIn) {
        if (r < 0.6 || !u.email) events.push(t, i, K.loginFailure, -1, d, 0);
        else events.push(t, i, K.passwordResetRequested, -1, d);
      } else if (open.length === 0 || r < 0.4) {
        signIn(t);
      } else if (r < 0.55) {
        const s = open.pop() as number;
        close(s, t, "logout");
        events.push(t, i, K.logout, s, (logins[s] as Login).device);
      } else if (r < 0.67) {
        const foreign = rng.chance(0.25);
        events.push(t, i, K.loginFailure, -1, foreign ? -1 : d, u.email && rng.chance(0.3) ? 1 : 0);
      } else if (r < 0.71) {
        const current = open.at(-1) as number;
        closeAll(t, "password_changed", current);
        events.push(t, i, K.passwordChanged, current, (logins[current] as Login).device);
        u.passwordChangedAt = t;
      } else if (r < 0.76) {
        const current = open.at(-1) as number;
        events.push(t, i, K.reauthenticated, current, (logins[current] as Login).device);
      } else if (r < 0.79 && u.email) {
        const done = Math.min(t + 2 * MINUTE + rng.int(30 * MINUTE), activeUntil);
        events.push(t, i, K.passwordResetRequested, -1, d);
        events.push(done, i, K.passwordReset, -1, d);
        closeAll(done, "password_reset");
        u.passwordChangedAt = done;
      } else if (r < 0.83 && open.length >= 2) {
        const s = open.shift() as number;
        close(s, t, "signed_out_by_user");
        const current = open.at(-1) as number;
        events.push(t, i, K.sessionRevoked, s, (logins[current] as Login).device);
      } else if (r < 0.85 && open.length >= 2) {
        const current = open.at(-1) as number;
        const count = open.length - 1;
        closeAll(t, "signed_out_by_user", current);
        events.push(t, i, K.otherSessionsRevoked, current, (logins[current] as Login).device, count);
      } else if (r < 0.86) {
        const current = open.at(-1) as number;
        events.push(t, i, K.logoutEverywhere, current, (logins[current] as Login).device);
        closeAll(t, "logout_everywhere");
      } else if (r < 0.875) {
        // A guessing run from elsewhere until the pair limit stops it.
        for (let k = 0; k < 5; k++) events.push(t - (5 - k) * 2_000, i, K.loginFailure, -1, -1, 0);
        events.push(t, i, K.loginThrottled, -1, -1);
      } else if (r < 0.89 && pickAdmin(t) >= 0) {
        const count = open.length;
        closeAll(t, "revoked_by_admin");
        events.push(t, i, K.sessionsRevokedByAdmin, pickAdmin(t), 0, count);
      } else if (r < 0.9 && pickAdmin(t) >= 0) {
        const done = Math.min(t + HOUR + rng.int(DAY), activeUntil);
        closeAll(t, "password_reset");
        events.push(t, i, K.passwordResetByAdmin, pickAdmin(t));
        events.push(done, i, K.passwordReset, -1, d);
        u.passwordChangedAt = done;
      } else {
        signIn(t);
      }
    }
    if (rng.chance(0.03)) {
      // Someone mistyping this name (or trying a close one): an attempt that names no account.
      events.push(c + Math.floor((end - c) * rng.next()), i, K.strangerFailure, -1, -1);
    }
    if (u.disabled) {
      events.push(activeUntil, i, K.userDisabled, pickAdmin(activeUntil));
      closeAll(activeUntil, "account_disabled");
      for (let k = rng.int(3); k > 0; k--)
        events.push(activeUntil + Math.floor((end - activeUntil) * rng.next()), i, K.loginDisabled, -1, 0);
    }

    // Rows for the most recent sign-ins still open (or, on a disabled account, ended by the disable).
    const kept = u.disabled
      ? mine
          .map((s) => logins[s] as Login)
          .filter((l) => l.closedReason === "account_disabled")
          .slice(-3)
      : open.slice(-3).map((s) => logins[s] as Login);
    for (const l of kept) {
      const expiresAt = l.at + input.refreshTokenTtl;
      const until = Math.min(expiresAt, Number.isNaN(l.closedAt) ? end : l.closedAt);
      const lastUsedAt = Math.floor(l.at + (until - l.at) * Math.sqrt(rng.next()));
      sessions.push({
        id: l.id,
        user: i,
        device: l.device,
        createdAt: l.at,
        lastUsedAt,
        expiresAt,
        generation: Math.min(Math.floor((lastUsedAt - l.at) / (2 * HOUR)), 5_000),
        revokedAt: Number.isNaN(l.closedAt) ? null : l.closedAt,
        revokedReason: l.closedReason,
      });
      u.lastSeenAt = Math.max(u.lastSeenAt ?? 0, lastUsedAt);
    }
    if (lastLogin > 0) u.lastSeenAt = Math.max(u.lastSeenAt ?? 0, lastLogin);
    u.updatedAt = Math.max(u.createdAt, u.passwordChangedAt, u.emailVerifiedAt ?? 0, u.promotedAt ?? 0, u.disabled ? activeUntil : 0);
  });
  return { logins, sessions, events };
}

export function planSeed(input: PlanInput): SeedPlan {
  const users = planAccounts(input);
  return { users, ...planHistory(input, users), start: input.start, end: input.end };
}
