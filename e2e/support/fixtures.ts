// The suite's `test`: baseURL from the global setup, a fresh client address per browser context,
// a `user` made per test and an `admin` per worker, `newContext` for a second browser, and a
// guard that fails any test whose pages throw or break the Content-Security-Policy.
import { type Browser, type BrowserContext, test as base, type ConsoleMessage, expect } from "@playwright/test";
import { createAdmin, nextAddress, registerUser, serverEnv, type TestUser } from "./users";

type Fixtures = {
  user: TestUser;
  /** Another browser (its own cookies and address), closed after the test. */
  newContext: () => Promise<BrowserContext>;
  pageProblems: string[];
};

// One admin per worker: the CLI takes a few seconds to start, and no test changes its admin.
type WorkerFixtures = { admin: TestUser };

/** Uncaught page errors and CSP refusals: never expected on any page of any test. */
function watch(context: BrowserContext, problems: string[]): void {
  context.on("weberror", (error) => problems.push(`pageerror: ${error.error().message}`));
  context.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error" && /Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect)/i.test(message.text())) {
      problems.push(`csp: ${message.text()}`);
    }
  });
}

async function contextFor(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, extraHTTPHeaders: { "x-forwarded-for": nextAddress() } });
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  baseURL: async ({}, use) => use(serverEnv().baseURL),
  extraHTTPHeaders: async ({}, use) => use({ "x-forwarded-for": nextAddress() }),
  pageProblems: [
    async ({ context }, use) => {
      const problems: string[] = [];
      watch(context, problems);
      await use(problems);
      expect(problems, "page errors or CSP violations").toEqual([]);
    },
    { auto: true },
  ],
  newContext: async ({ browser, baseURL, pageProblems }, use) => {
    const made: BrowserContext[] = [];
    await use(async () => {
      const context = await contextFor(browser, baseURL ?? serverEnv().baseURL);
      watch(context, pageProblems);
      made.push(context);
      return context;
    });
    for (const context of made) await context.close();
  },
  user: async ({}, use) => use(await registerUser()),
  admin: [async ({}, use) => use(await createAdmin()), { scope: "worker" }],
});

export { expect };
