import { describe, it } from "vitest";
import { useApp } from "../support/app";
import { runCli } from "../support/cli";
import { uniqueName, GOOD_PASSWORD } from "../support/client";

describe.each(["postgresql"] as const)("debug %s", (p) => {
  const app = useApp(p);
  it("cli", async () => {
    let bad = 0;
    for (let i = 0; i < 25; i++) {
      const username = uniqueName();
      await app.script().post("/api/auth/register", { username, password: GOOD_PASSWORD });
      const r = await runCli(app, ["set-role", username, "admin"]);
      if (r.code !== 0 || !r.stdout.includes("now admin")) { bad++; console.log("FAIL", i, r.code, JSON.stringify(r.stderr.slice(0,3000))); }
    }
    console.log("bad", bad);
  }, 300_000);
});
