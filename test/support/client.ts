// A tiny HTTP client for the integration suites. `browser` mode keeps a cookie jar (honouring
// Path and Max-Age=0) and sends Origin like a browser; script mode sends neither.
export type Reply = { status: number; headers: Headers; body: any; text: string };

type Cookie = { name: string; value: string; path: string };

export class Client {
  readonly jar = new Map<string, Cookie>();

  constructor(
    readonly base: string,
    readonly opts: { browser?: boolean; origin?: string; userAgent?: string; headers?: Record<string, string> } = {},
  ) {}

  cookie(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }

  setCookie(name: string, value: string, path = "/"): void {
    this.jar.set(name, { name, value, path });
  }

  private cookieHeader(pathname: string): string | undefined {
    const pairs = [...this.jar.values()].filter(
      (c) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`) || c.path === "/",
    );
    return pairs.length ? pairs.map((c) => `${c.name}=${c.value}`).join("; ") : undefined;
  }

  private store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const maxAge = attrs.find((a) => a.toLowerCase().startsWith("max-age="));
      if (value === "" || (maxAge && Number(maxAge.slice(8)) <= 0)) this.jar.delete(name);
      else this.jar.set(name, { name, value, path });
    }
  }

  async request(
    method: string,
    pathname: string,
    init: { json?: unknown; body?: string; headers?: Record<string, string>; bearer?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...this.opts.headers, ...init.headers };
    if (this.opts.userAgent) headers["user-agent"] = this.opts.userAgent;
    if (this.opts.browser) {
      headers.origin ??= this.opts.origin ?? new URL(this.base).origin;
      const cookie = this.cookieHeader(pathname.split("?")[0] ?? "/");
      if (cookie) headers.cookie = cookie;
    }
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${this.base}${pathname}`, { method, headers, body, redirect: "manual" });
    if (this.opts.browser) this.store(res.headers);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get = (p: string, init?: Parameters<Client["request"]>[2]) => this.request("GET", p, init);
  post = (p: string, json?: unknown, init?: Parameters<Client["request"]>[2]) => this.request("POST", p, { ...init, json });
  patch = (p: string, json?: unknown, init?: Parameters<Client["request"]>[2]) => this.request("PATCH", p, { ...init, json });
  delete = (p: string, init?: Parameters<Client["request"]>[2]) => this.request("DELETE", p, init);
}

let counter = 0;
/** A username unique to this run, so tests can share one server and run in parallel. */
export function uniqueName(prefix = "u"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 32).toLowerCase();
}

export const GOOD_PASSWORD = "correct horse battery staple orbit";
