/** Draw suites' helpers: the demo's sampling item (seeded 5 %, server/seed/plans.ts) and a plain API call. */

/** city-market's 2026 food-safety item, a 双随机 sampling item of its filed plan */
export const SAMPLING_ITEM = 'city-market.p2026-02';
/** an item of the same plan that is not sampled (a list of targets) */
export const LIST_ITEM = 'city-market.p2026-01';

/** fetch with a bearer and a JSON body; the answer's status and JSON (or null) and text */
// biome-ignore lint/suspicious/noExplicitAny: tests read error and answer bodies loosely, after checking them against the protocol
export async function api(
  url: string,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: r.status, json, text };
}
