// Turns a plan into the audit chain's rows: each event gets the next seq, a fresh id and the hash
// over its content and the previous event's hash (lib/audit/chain.ts), continuing from the head
// the database had when the seeder locked it. Produced a batch at a time so the writer can send
// one batch while the next is hashed.
import { type ChainedContent, eventHash } from "@/lib/audit/chain";
import { ATTACKER_USER_AGENTS, randomAddress, USER_AGENTS } from "./seed-data";
import { type Device, K, type SeedPlan, type SeedUser, TYPES } from "./seed-plan";
import type { Rng } from "./seed-random";

export type ChainHead = { seq: number; hash: string; lastAt: Date };

export type EventRow = Omit<ChainedContent, "createdAt"> & { createdAt: Date; prevHash: string; hash: string };

// What `npm run user -- set-role` records as the actor's address and client.
const CLI: Device = { address: "cli", userAgent: "latchkey-cli" };

function typo(rng: Rng, name: string): string {
  const r = rng.next();
  if (r < 0.4) return `${name}${rng.int(10)}`;
  if (r < 0.7 && name.length > 3) return name.slice(0, -1);
  const k = 1 + rng.int(Math.max(name.length - 2, 1));
  return `${name.slice(0, k - 1)}${name[k] ?? ""}${name[k - 1] ?? ""}${name.slice(k + 1)}`;
}

/** A row whose content fields `fill` sets; one object per event, its hash added last. */
function blankRow(): EventRow {
  return {
    seq: 0,
    id: "",
    createdAt: new Date(0),
    type: "",
    userId: null,
    actorId: null,
    subject: null,
    address: null,
    userAgent: null,
    detail: null,
    prevHash: "",
    hash: "",
  };
}

// An attempt names an identifier and has no actor.
function attempt(row: EventRow, subject: string): void {
  row.actorId = null;
  row.subject = subject;
}

// An admin action: the admin (or the command line) acting, from the admin's own client.
function byAdmin(row: EventRow, plan: SeedPlan, a: number): void {
  const admin = a >= 0 ? plan.users[a] : undefined;
  const client = admin?.devices[0] ?? CLI;
  row.actorId = admin?.id ?? null;
  row.address = client.address;
  row.userAgent = client.userAgent;
}

function fill(row: EventRow, plan: SeedPlan, e: number, rng: Rng): void {
  const { events } = plan;
  const kind = events.kind[e] as number;
  const u = plan.users[events.user[e] as number] as SeedUser;
  const a = events.a[e] as number;
  const b = events.b[e] as number;
  const c = events.c[e] as number;
  const device: Device =
    b >= 0
      ? (u.devices[b] ?? (u.devices[0] as Device))
      : { address: randomAddress(rng), userAgent: rng.chance(0.6) ? rng.pick(ATTACKER_USER_AGENTS) : rng.pick(USER_AGENTS) };
  row.type = TYPES[kind] as string;
  row.userId = u.id;
  row.actorId = u.id;
  row.subject = null;
  row.address = device.address;
  row.userAgent = device.userAgent;
  row.detail = null;
  // Details are written as JSON.stringify would write them (ids are UUIDs, counts numbers), without its cost.
  const session = a >= 0 && a < plan.logins.length ? (plan.logins[a] as { id: string }).id : "";
  switch (kind) {
    case K.loginSuccess:
      row.subject = u.username;
      row.detail = `{"sessionId":"${session}","method":"password"}`;
      return;
    case K.logout:
    case K.reauthenticated:
    case K.sessionRevoked:
      row.detail = `{"sessionId":"${session}"}`;
      return;
    case K.otherSessionsRevoked:
      row.detail = `{"count":${c}}`;
      return;
    case K.loginFailure:
      attempt(row, c === 1 && u.email ? u.email : u.username);
      return;
    case K.loginThrottled:
      attempt(row, u.username);
      row.detail = '{"rule":"pair"}';
      return;
    case K.loginDisabled:
      attempt(row, u.username);
      return;
    case K.strangerFailure:
      attempt(row, typo(rng, u.username));
      row.userId = null;
      return;
    case K.passwordResetRequested:
      attempt(row, u.email ?? u.username);
      row.detail = u.email ? '{"mailed":true}' : '{"mailed":false,"reason":"no_email"}';
      return;
    case K.roleChanged:
      byAdmin(row, plan, a);
      row.detail = '{"from":"user","to":"admin"}';
      return;
    case K.userDisabled:
      byAdmin(row, plan, a);
      return;
    case K.sessionsRevokedByAdmin:
      byAdmin(row, plan, a);
      row.detail = `{"count":${c}}`;
      return;
    case K.passwordResetByAdmin:
      byAdmin(row, plan, a);
      row.detail = u.email ? '{"mailed":true}' : '{"mailed":false}';
      return;
    default:
    // register, email_verification_sent, email_verified, password_changed, password_reset,
    // logout_everywhere: the user acting on their own account, no detail.
  }
}

/** The plan's events as chained rows, `size` at a time, in seq order. `head` advances as batches are taken. */
export function* chainedEvents(plan: SeedPlan, head: ChainHead, rng: Rng, size: number): Generator<EventRow[]> {
  const order = plan.events.timeOrder();
  const times = plan.events.time;
  let seq = head.seq;
  let prevHash = head.hash;
  let lastAt = head.lastAt.getTime();
  for (let from = 0; from < order.length; from += size) {
    const batch: EventRow[] = [];
    const to = Math.min(from + size, order.length);
    for (let k = from; k < to; k++) {
      const e = order[k] as number;
      // Never before the event ahead of it in the chain (the plan keeps to its window; this is the guarantee).
      lastAt = Math.max(lastAt, times[e] as number);
      const row = blankRow();
      row.seq = ++seq;
      row.id = rng.uuid();
      row.createdAt = new Date(lastAt);
      fill(row, plan, e, rng);
      row.prevHash = prevHash;
      row.hash = eventHash(row, prevHash);
      batch.push(row);
      prevHash = row.hash;
    }
    head.seq = seq;
    head.hash = prevHash;
    head.lastAt = new Date(lastAt);
    yield batch;
  }
}
