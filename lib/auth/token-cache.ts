// The verified-token cache (docs/decisions/0021-auth-caches.md): an access token that verified
// once is not verified again until it expires. The key is the whole token string, so only the
// exact bytes that passed verification can hit; a token altered in any way, forged, or signed by
// another key is a miss and goes through jose. The cache belongs to one key ring and one issuer:
// when AUTH_SIGNING_KEYS or APP_URL changes (a key removed from the ring), it starts empty, so a
// token whose key is gone is verified again and refused.
import { edgeConfig } from "@/lib/edge/config";
import { getKeyRing, type KeyRing } from "@/lib/edge/keys";
import { type AccessClaims, verifyAccessToken } from "@/lib/edge/tokens";

const MAX_ENTRIES = 10_000;

export class VerifiedTokenCache {
  readonly #entries = new Map<string, Readonly<AccessClaims>>();
  readonly #maxEntries: number;
  readonly #verifyToken: typeof verifyAccessToken;
  #ring: KeyRing | undefined;
  #issuer: string | undefined;

  /** `verifyToken` is jose's check (verifyAccessToken); tests pass a spy on it to count misses. */
  constructor(opts: { maxEntries?: number; verifyToken?: typeof verifyAccessToken } = {}) {
    this.#maxEntries = opts.maxEntries ?? MAX_ENTRIES;
    this.#verifyToken = opts.verifyToken ?? verifyAccessToken;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** verifyAccessToken, answered from the cache while the token is unexpired. */
  async verify(token: string, opts: { ring?: KeyRing; now?: number } = {}): Promise<AccessClaims> {
    const ring = opts.ring ?? (await getKeyRing());
    const issuer = edgeConfig().appUrl;
    if (ring !== this.#ring || issuer !== this.#issuer) {
      this.#entries.clear();
      this.#ring = ring;
      this.#issuer = issuer;
    }
    const now = opts.now ?? Date.now();
    const hit = this.#entries.get(token);
    if (hit) {
      this.#entries.delete(token);
      // Until exp exactly: past it, jose decides (it allows the clock skew, then says "expired").
      if (now < hit.exp * 1000) {
        this.#entries.set(token, hit);
        return { ...hit };
      }
    }
    const claims = await this.#verifyToken(token, { ring, now });
    if (now < claims.exp * 1000) {
      this.#entries.set(token, Object.freeze({ ...claims }));
      for (const oldest of this.#entries.keys()) {
        if (this.#entries.size <= this.#maxEntries) break;
        this.#entries.delete(oldest);
      }
    }
    return claims;
  }
}

// On globalThis, like deps(): one cache for every bundle of the server that verifies tokens.
const HOLDER = Symbol.for("latchkey.verifiedTokens");
type Holder = { [HOLDER]?: VerifiedTokenCache };

export function verifiedTokens(): VerifiedTokenCache {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= new VerifiedTokenCache();
  return holder[HOLDER];
}
