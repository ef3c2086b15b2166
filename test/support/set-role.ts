// Promotes or demotes an account the way `npm run user -- set-role NAME ROLE` does: the same use
// case (updateUser), the same actor, another process than the server. It runs in the test
// process instead of spawning the compiled CLI, which costs about a second of CPU per call (node,
// Prisma, the password dictionary) and made the admin suites CPU-bound. The CLI itself is still
// run by the suites about it (revocation-last-admin, attack-revocation-cache) and by e2e.
import { loadConfig } from "@/lib/config";
import { createDb } from "@/lib/db/client";
import { createDeps, type Deps } from "@/lib/deps";
import { updateUser } from "@/lib/use-cases/admin/update-user";
import { TEST_ENCRYPTION_KEYS } from "./server";

const CLI_ACTOR = { actorId: null, address: "cli", userAgent: "latchkey-cli" };

export type RoleSetter = {
  setRole(username: string, role: "user" | "admin"): Promise<void>;
  close(): Promise<void>;
};

/** One set of deps per server, built on first use and closed with the server. */
export function roleSetter(target: () => { databaseUrl: string; keys: string }): RoleSetter {
  let built: Deps | undefined;
  const depsFor = (): Deps => {
    if (built) return built;
    const { databaseUrl, keys } = target();
    const config = loadConfig({
      NODE_ENV: "production",
      APP_URL: "http://localhost:3000",
      DATABASE_URL: databaseUrl,
      AUTH_SIGNING_KEYS: keys,
      AUTH_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      BCRYPT_COST: "4",
      EMAIL_DELIVERY: "off",
    });
    built = createDeps(config, createDb(databaseUrl));
    return built;
  };
  return {
    async setRole(username, role) {
      const deps = depsFor();
      const found = await deps.db.user.findUnique({ where: { username }, select: { id: true } });
      if (!found) throw new Error(`set-role: no user named ${username}`);
      const user = await updateUser(deps, { userId: found.id, patch: { role }, actor: CLI_ACTOR });
      if (user.role !== role) throw new Error(`set-role: ${username} is still ${user.role}`);
    },
    async close() {
      const deps = built;
      built = undefined;
      if (!deps) return;
      await deps.tasks.idle();
      await deps.throttle.close();
      await deps.sessionCache.close();
      await deps.db.$disconnect();
    },
  };
}
