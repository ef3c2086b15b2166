// Admin writes run under one lock (an advisory lock on PostgreSQL; SQLite serialises writers
// already) and re-read the rows inside it, so two admins demoting each other at once leave
// exactly one admin rather than none.

import type { Db } from "@/lib/db/client";
import { providerOf } from "@/lib/db/url";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const ADMIN_WRITE_LOCK = 7270001;

export async function withAdminLock<T>(deps: Deps, actorId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return deps.db.$transaction(async (tx) => {
    if (providerOf(deps.config.DATABASE_URL) === "postgresql")
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ADMIN_WRITE_LOCK})`);
    // The actor's authority is read again under the lock: an admin demoted by a concurrent
    // request a moment ago cannot complete a write it was authorised for before.
    if (actorId !== null) {
      const actor = await tx.user.findUnique({ where: { id: actorId }, select: { role: true, disabled: true } });
      if (actor?.role !== "admin" || actor.disabled) throw new AppError("forbidden");
    }
    return fn(tx);
  });
}

export async function otherActiveAdmins(tx: Tx, userId: string): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
}

export const noSuchUser = () => new AppError("not_found", { message: "No such user." });
