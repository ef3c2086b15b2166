// Revocation reaches every instance within one second (the auth caches' bound, ADR 0021): a check
// retried until it passes or the second is over, when its last failure is the test's.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withinOneSecond(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await sleep(50);
    }
  }
}
