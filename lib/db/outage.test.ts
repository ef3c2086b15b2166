import { afterEach, describe, expect, it } from "vitest";
import { isDbOutageRecent, recordDbOutage, recordDbRecovered } from "./outage";

afterEach(() => recordDbRecovered());

describe("attributing a failed render to a database outage", () => {
  it("counts an outage recorded shortly before the request began", () => {
    recordDbOutage(1_000_000);
    expect(isDbOutageRecent(1_000_000 + 9_000)).toBe(true);
    expect(isDbOutageRecent(1_000_000 + 10_000)).toBe(false);
  });

  it("counts an outage recorded while the request ran, however long it took to fail", () => {
    const began = 2_000_000;
    recordDbOutage(began + 15_000);
    expect(isDbOutageRecent(began)).toBe(true);
  });

  it("counts nothing once the database has recovered", () => {
    recordDbOutage(3_000_000);
    recordDbRecovered();
    expect(isDbOutageRecent(3_000_000)).toBe(false);
  });
});
