// Audit retention (AUDIT_RETENTION): events older than the retention period are deleted from the
// start of the log, a batch per transaction. Each batch first locks the chain head, as every append
// does, and records in it where the log now starts (prunedThroughSeq) and the hash the first
// remaining event names as its predecessor (prunedThroughHash), so `npm run audit:verify` still
// checks every event that is left. The newest event is never deleted: it anchors the head.
import type { Deps } from "@/lib/deps";
import { log } from "@/lib/log";

export type PruneResult = { count: number; throughSeq: number };

export type PruneOptions = { batchSize?: number };

const DEFAULT_BATCH = 10_000;
const HOUR = 60 * 60 * 1_000;
// A batch of 10k deletes takes well under a second; the limit is for a database under load.
const TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

type PruneDeps = Pick<Deps, "config" | "db" | "clock" | "audit">;

/** Deletes what the retention period allows; null retention keeps everything and does nothing. */
export async function pruneAuditLog(deps: PruneDeps, opts: PruneOptions = {}): Promise<PruneResult> {
  const retention = deps.config.AUDIT_RETENTION;
  if (retention === null) return { count: 0, throughSeq: 0 };
  const cutoff = new Date(deps.clock.now().getTime() - retention);
  const batch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  let count = 0;
  let throughSeq = 0;
  for (;;) {
    const step = await deps.db.$transaction(async (tx) => {
      // The head's lock first, like appendEvent: appends and other pruners wait for this batch.
      const head = await tx.auditChain.update({
        where: { id: 1 },
        data: { prunedThroughSeq: { increment: 0 } },
        select: { seq: true, prunedThroughSeq: true },
      });
      const cut = head.prunedThroughSeq;
      // Events at or before the cut (from before the chain) need no bookkeeping, only deleting.
      const uncovered = await tx.auditEvent.findMany({
        where: { seq: { lte: cut }, createdAt: { lt: cutoff } },
        orderBy: { seq: "asc" },
        take: batch,
        select: { seq: true },
      });
      const lastUncovered = uncovered.at(-1);
      if (lastUncovered) {
        const { count: n } = await tx.auditEvent.deleteMany({ where: { seq: { lte: lastUncovered.seq }, createdAt: { lt: cutoff } } });
        return { deleted: n, throughSeq: cut };
      }
      // createdAt never goes backwards along the chain, so the old events are a prefix of it; the
      // prefix stops at the first younger one all the same, so no event is skipped over.
      const next = await tx.auditEvent.findMany({
        where: { seq: { gt: cut, lt: head.seq } },
        orderBy: { seq: "asc" },
        take: batch,
        select: { seq: true, hash: true, createdAt: true },
      });
      const young = next.findIndex((e) => e.createdAt >= cutoff);
      const last = (young === -1 ? next : next.slice(0, young)).at(-1);
      if (!last) return null;
      const { count: n } = await tx.auditEvent.deleteMany({ where: { seq: { gt: cut, lte: last.seq } } });
      await tx.auditChain.update({
        where: { id: 1 },
        data: { prunedThroughSeq: last.seq, prunedThroughHash: last.hash },
        select: { id: true },
      });
      return { deleted: n, throughSeq: last.seq };
    }, TRANSACTION);
    if (!step || step.deleted === 0) break;
    count += step.deleted;
    throughSeq = Math.max(throughSeq, step.throughSeq);
  }
  if (count > 0) await deps.audit.record({ type: "audit_pruned", detail: { throughSeq, count } });
  return { count, throughSeq };
}

/**
 * Prunes now and then every `everyMs` (an hour) for as long as the process runs. Failures are
 * logged and retried at the next tick; the timer never keeps the process alive. Returns a stop function.
 */
export function scheduleAuditRetention(getDeps: () => PruneDeps, everyMs: number = HOUR): () => void {
  let running = false;
  const tick = async () => {
    // A long first run over a big backlog must not overlap the next tick.
    if (running) return;
    running = true;
    try {
      const result = await pruneAuditLog(getDeps());
      if (result.count > 0) log.info({ pruned: result.count, throughSeq: result.throughSeq }, "audit log pruned");
    } catch (e) {
      log.error({ err: e instanceof Error ? e.message : String(e) }, "audit retention failed");
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
