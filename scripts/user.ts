// Account administration from the shell, e.g. making the first admin:
//   printf '%s' "$PASSWORD" | npm run user -- create --username alice --role admin --password-stdin
//   npm run user -- set-role alice user
import { parseArgs } from "node:util";
import { closeHashPool } from "@/lib/auth/password";
import { ConfigError, config } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { type Deps, deps as processDeps } from "@/lib/deps";
import { isAppError } from "@/lib/errors";
import { updateUser } from "@/lib/use-cases/admin/update-user";
import { createAccount } from "@/lib/use-cases/auth/create-account";
import { EmailSchema, UsernameSchema } from "@/lib/validation/fields";

const USAGE = `usage:
  npm run user -- create --username NAME [--email E] [--role admin|user] --password-stdin
  npm run user -- set-role NAME admin|user`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline (from echo or a heredoc) is not part of the password.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) fail(`${what}: ${result.error.issues[0]?.message ?? "invalid"}`);
  return result.data;
}

let builtDeps: Deps | undefined;
const deps = (): Deps => (builtDeps ??= processDeps());

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { username: { type: "string" }, email: { type: "string" }, role: { type: "string" }, "password-stdin": { type: "boolean" } },
  });
  await applyMigrations(config().DATABASE_URL);
  if (command === "create") {
    if (!values.username || !values["password-stdin"]) fail(USAGE);
    const role = values.role ?? "user";
    if (role !== "user" && role !== "admin") fail("--role must be admin or user");
    const username = parse(UsernameSchema, values.username, "username");
    const email = values.email ? parse(EmailSchema, values.email, "email") : null;
    const user = await createAccount(deps(), { username, email, password: await readStdin(), role });
    process.stdout.write(`created ${user.username} (${user.role}) ${user.id}\n`);
  } else if (command === "set-role") {
    const [name, role] = positionals;
    if (!name || (role !== "user" && role !== "admin")) fail(USAGE);
    const username = parse(UsernameSchema, name, "username");
    const found = await deps().db.user.findUnique({ where: { username }, select: { id: true } });
    if (!found) fail(`no user named ${username}`);
    const actor = { actorId: null, address: "cli", userAgent: "latchkey-cli" };
    const user = await updateUser(deps(), { userId: found.id, patch: { role }, actor });
    process.stdout.write(`${user.username} is now ${user.role}\n`);
  } else {
    fail(USAGE);
  }
}

main()
  .catch((e: unknown) => {
    // A bad setting is one line per problem, as the server prints it; never a stack trace.
    const lines = e instanceof ConfigError ? e.problems : [isAppError(e) || e instanceof Error ? e.message : String(e)];
    for (const line of lines) process.stderr.write(`${line}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await builtDeps?.throttle.close();
    await closeHashPool();
    await disconnectDb();
  });
