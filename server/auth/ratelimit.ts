/**
 * Failed-login limiter: a sliding window of attempt times per key (account + IP, IP, account). In memory.
 * An attempt counts from the moment it starts: `reserve` takes a slot before the (slow, asynchronous)
 * password check, and `release` gives it back when the password was right. So a burst of concurrent
 * guesses finds the slots taken and gets 429, instead of all passing the check before any is counted.
 */
export class FailureLimiter {
  private readonly fails = new Map<string, number[]>();
  constructor(
    readonly max: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const xs = (this.fails.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (xs.length) this.fails.set(key, xs);
    else this.fails.delete(key);
    return xs;
  }

  /** attempts counted for `key` within the window */
  count(key: string, now = Date.now()): number {
    return this.recent(key, now).length;
  }

  /** seconds until another attempt is allowed, or 0 */
  retryAfter(key: string, now = Date.now()): number {
    const xs = this.recent(key, now);
    if (xs.length < this.max) return 0;
    return Math.max(1, Math.ceil((xs[xs.length - this.max] + this.windowMs - now) / 1000));
  }

  /** count an attempt now; `release(key, t)` with the returned time takes it back */
  reserve(key: string, now = Date.now()): number {
    const xs = this.recent(key, now);
    xs.push(now);
    this.fails.set(key, xs);
    if (this.fails.size > 100_000) this.sweep(now);
    return now;
  }

  /** a failure that was not reserved (kept for callers that count after the fact) */
  fail(key: string, now = Date.now()): void {
    this.reserve(key, now);
  }

  /** take back one attempt reserved at `t` (the password was right) */
  release(key: string, t: number): void {
    const xs = this.fails.get(key);
    if (!xs) return;
    const i = xs.indexOf(t);
    if (i >= 0) xs.splice(i, 1);
    if (!xs.length) this.fails.delete(key);
  }

  reset(key: string): void {
    this.fails.delete(key);
  }

  private sweep(now: number): void {
    for (const k of [...this.fails.keys()]) this.recent(k, now);
  }
}

/** Per-connection message rate: a token bucket. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {
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
