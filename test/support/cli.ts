import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT, TEST_ENCRYPTION_KEYS } from "./server";

/**
 * Runs the account CLI the way an operator of a production install would (`node
 * dist/scripts/user.mjs ...`, compiled by `npm run build` like the server), against the app's database.
 */
export async function runCli(
  app: { db: { url: string }; keys: string },
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "dist/scripts/user.mjs"), ...args], {
      cwd: ROOT,
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH ?? "",
        DATABASE_URL: app.db.url,
        AUTH_SIGNING_KEYS: app.keys,
        BCRYPT_COST: "4",
        LOG_LEVEL: "warn",
        EMAIL_DELIVERY: "off",
        AUTH_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}
