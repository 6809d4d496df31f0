/**
 * A party's draw secrets, kept on this device between commit and reveal (localStorage: they must survive a
 * reload and a restart of the browser, and are useless once revealed). The secret never leaves the device
 * before the reveal: the server only ever sees its commitment. Lose it and the party cannot reveal: the
 * page offers a copy to keep elsewhere.
 */
const key = (drawId: string, party: string) => `draw-secret:${drawId}:${party}`;

export function keepSecret(drawId: string, party: string, secret: string): void {
  localStorage.setItem(key(drawId, party), secret);
}

export function keptSecret(drawId: string, party: string): string | null {
  return localStorage.getItem(key(drawId, party));
}

export function forgetSecret(drawId: string, party: string): void {
  localStorage.removeItem(key(drawId, party));
}
