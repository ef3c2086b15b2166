// Prisma's better-sqlite3 adapter runs every query of a client on one connection, and only makes
// transactions wait for each other. A query from outside an open interactive transaction
// therefore runs *inside* it: it sees uncommitted rows, and its writes vanish if that transaction
// rolls back (measured: lib/db/client.test.ts, "keeps writes outside a transaction out of it").
// This wrapper makes every query outside a transaction wait until the open one has finished, which
// costs nothing SQLite had to give: it has one writer at a time anyway.
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

type SqlAdapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type SqlTransaction = Awaited<ReturnType<SqlAdapter["startTransaction"]>>;

class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves, in call order, with the function that releases the lock. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    return previous.then(() => release);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function releasingOnEnd(tx: SqlTransaction, release: () => void): SqlTransaction {
  let released = false;
  const end = (finish: () => Promise<void>) => async () => {
    try {
      await finish();
    } finally {
      if (!released) {
        released = true;
        release();
      }
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    // Optional members stay absent when the adapter lacks them: Prisma checks for their presence.
    ...(tx.createSavepoint && { createSavepoint: tx.createSavepoint.bind(tx) }),
    ...(tx.rollbackToSavepoint && { rollbackToSavepoint: tx.rollbackToSavepoint.bind(tx) }),
    ...(tx.releaseSavepoint && { releaseSavepoint: tx.releaseSavepoint.bind(tx) }),
    commit: end(() => tx.commit()),
    rollback: end(() => tx.rollback()),
  };
}

function serialized(inner: SqlAdapter): SqlAdapter {
  const mutex = new Mutex();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => mutex.run(() => inner.queryRaw(query)),
    executeRaw: (query) => mutex.run(() => inner.executeRaw(query)),
    executeScript: (script) => mutex.run(() => inner.executeScript(script)),
    ...(inner.getConnectionInfo && { getConnectionInfo: inner.getConnectionInfo.bind(inner) }),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel) {
      // Held from BEGIN until Prisma calls commit() or rollback() (it always does, timeouts included).
      const release = await mutex.acquire();
      try {
        return releasingOnEnd(await inner.startTransaction(isolationLevel), release);
      } catch (e) {
        release();
        throw e;
      }
    },
  };
}

/** A drop-in for the adapter factory that keeps transactions isolated from the client's other queries. */
export class SerializedSqliteAdapter {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;

  constructor(private readonly inner: PrismaBetterSqlite3) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlAdapter> {
    return serialized(await this.inner.connect());
  }
}
