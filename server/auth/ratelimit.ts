/** Failed-login limiter: a sliding window of failure times per key (account, IP). In memory. */
export class FailureLimiter {
  private readonly fails = new Map<string, number[]>();
  constructor(private readonly max: number, private readonly windowMs: number) {}

  private recent(key: string, now: number): number[] {
    const xs = (this.fails.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (xs.length) this.fails.set(key, xs); else this.fails.delete(key);
    return xs;
  }

  /** seconds until another attempt is allowed, or 0 */
  retryAfter(key: string, now = Date.now()): number {
    const xs = this.recent(key, now);
    if (xs.length < this.max) return 0;
    return Math.max(1, Math.ceil((xs[xs.length - this.max] + this.windowMs - now) / 1000));
  }

  fail(key: string, now = Date.now()): void {
    const xs = this.recent(key, now);
    xs.push(now);
    this.fails.set(key, xs);
    if (this.fails.size > 100_000) this.sweep(now);
  }

  reset(key: string): void { this.fails.delete(key); }

  private sweep(now: number): void { for (const k of [...this.fails.keys()]) this.recent(k, now); }
}

/** Per-connection message rate: a token bucket. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly ratePerSec: number, private readonly burst: number) {
    this.tokens = burst;
    this.last = Date.now();
  }
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
