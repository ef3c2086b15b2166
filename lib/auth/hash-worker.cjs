"use strict";
// Runs inside a piscina worker thread, so bcrypt's deliberately slow key schedule never blocks the
// server's event loop. Plain CommonJS on purpose: it is loaded by path at run time, outside Next's
// bundler and TypeScript. It only ever sees the pre-hashed secret, never the password itself.
const bcrypt = require("bcryptjs");
const { threadId } = require("node:worker_threads");

module.exports = function run(task) {
  if (task.op === "hash") return { value: bcrypt.hashSync(task.secret, task.cost), threadId };
  if (task.op === "compare") return { value: bcrypt.compareSync(task.secret, task.hash), threadId };
  throw new TypeError(`hash-worker: unknown op ${String(task.op)}`);
};
