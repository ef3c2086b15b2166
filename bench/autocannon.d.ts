// autocannon ships no types; only what bench/ uses.
declare module "autocannon" {
  type Histogram = { average: number; p50: number; p90: number; p99: number; max: number; min: number };
  export type Result = {
    title?: string;
    requests: Histogram & { total: number };
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  };
  export type Options = {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    amount?: number;
    overallRate?: number;
    timeout?: number;
    title?: string;
  };
  type Instance = PromiseLike<Result> & { stop(): void };
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
