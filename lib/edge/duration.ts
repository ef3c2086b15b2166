// Durations in the SPEC's style: "30s", "5m", "12h", "30d" (or bare seconds). Dependency-free so
// the Edge middleware can import it without the Node-side environment parser.
const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new Error(`not a duration: "${value}" (use e.g. 30s, 5m, 12h, 30d)`);
  const unit = (match[2] ?? "s") as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}
