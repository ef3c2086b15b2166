// The seeded accounts: names, addresses, devices, sign-up times that grow towards the present, and
// who the admins (and since when) and the disabled accounts are. Their history is planned in
// seed-plan.ts.
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, randomAddress, USER_AGENTS, usernameFor } from "./seed-data";
import type { Rng } from "./seed-random";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Device = { address: string; userAgent: string };

export type SeedUser = {
  id: string;
  username: string;
  email: string | null;
  role: "user" | "admin";
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
  emailVerifiedAt: number | null;
  lastSeenAt: number | null;
  /** When an admin account got its role (admins only). */
  promotedAt: number | null;
  devices: Device[];
};

export type AccountsInput = {
  users: number;
  rng: Rng;
  /** Sign-ups lie in [start, end]. */
  start: number;
  end: number;
  /** Usernames and emails already in the database. */
  taken: Set<string>;
};

const FOUNDERS = 3;

function uniqueName(rng: Rng, taken: Set<string>): string {
  const base = usernameFor(rng, rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
  let name = base;
  while (taken.has(name)) name = `${base.slice(0, 27)}${1 + rng.int(9999)}`;
  taken.add(name);
  return name;
}

export function planAccounts(input: AccountsInput): SeedUser[] {
  const { rng, start, end, taken } = input;
  const span = Math.max(end - start - 10 * MINUTE, 1);
  const users: SeedUser[] = [];
  for (let i = 0; i < input.users; i++) {
    const username = uniqueName(rng, taken);
    let email: string | null = null;
    if (rng.chance(0.88)) {
      const candidate = `${username}@${rng.pick(EMAIL_DOMAINS)}`;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        email = candidate;
      }
    }
    // Sign-ups grow over time: the density rises towards the present.
    const createdAt = Math.floor(start + span * Math.sqrt(rng.next()));
    const devices: Device[] = [];
    const deviceCount = 1 + (rng.chance(0.5) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
    for (let d = 0; d < deviceCount; d++) devices.push({ address: randomAddress(rng), userAgent: rng.pick(USER_AGENTS) });
    users.push({
      id: rng.uuid(),
      username,
      email,
      role: "user",
      disabled: false,
      createdAt,
      updatedAt: createdAt,
      passwordChangedAt: createdAt,
      emailVerifiedAt: null,
      lastSeenAt: null,
      promotedAt: null,
      devices,
    });
  }
  users.sort((x, y) => x.createdAt - y.createdAt);
  // The first accounts are the operators who set the service up (`npm run user -- set-role`);
  // about 2 % of the rest became admins later, and 3 % of the others were disabled.
  users.forEach((u, i) => {
    if (i < FOUNDERS || rng.chance(0.02)) {
      u.role = "admin";
      const delay = i < FOUNDERS ? MINUTE + rng.int(10 * MINUTE) : HOUR + rng.int(7 * DAY);
      u.promotedAt = Math.min(u.createdAt + delay, end);
    } else if (rng.chance(0.03)) {
      u.disabled = true;
    }
  });
  return users;
}

/** Picks an admin who held the role at `t`; -1 when none did yet. */
export function adminPicker(users: SeedUser[], rng: Rng): (t: number) => number {
  const admins = users
    .map((u, i) => ({ at: u.promotedAt ?? Number.POSITIVE_INFINITY, i }))
    .filter((x) => Number.isFinite(x.at))
    .sort((x, y) => x.at - y.at);
  return (t) => {
    let lo = 0;
    let hi = admins.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((admins[mid]?.at ?? 0) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -1 : (admins[rng.int(lo)]?.i ?? -1);
  };
}
