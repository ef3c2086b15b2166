"use strict";
// Runs inside a piscina worker thread, so bcrypt's deliberately slow key schedule never blocks the
// server's event loop. Plain CommonJS on purpose: it is loaded by path at run time, outside Next's
// bundler and TypeScript. It only ever sees the pre-hashed secret, never the password itself.
const bcrypt = require("bcryptjs");
const { readlinkSync } = require("node:fs");
const { setPriority } = require("node:os");
const { threadId } = require("node:worker_threads");

// Hashing runs at a lower CPU priority (nice 10) than the event loop: with as many hashing threads
// as cores, a login storm still uses every core, yet a request that arrives meanwhile is scheduled
// first (Linux's scheduler weighs nice 0 about ten times nice 10). On Linux setpriority() on a
// thread id touches only that thread; elsewhere the pool simply runs at normal priority.
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
} catch {
  // no /proc/thread-self, or not permitted: normal priority
}

module.exports = function run(task) {
  if (task.op === "hash") return { value: bcrypt.hashSync(task.secret, task.cost), threadId };
  if (task.op === "compare") return { value: bcrypt.compareSync(task.secret, task.hash), threadId };
  throw new TypeError(`hash-worker: unknown op ${String(task.op)}`);
};
