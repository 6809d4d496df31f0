/**
 * A demo server started with CLOCK_NOW lives on another day than the device: the app follows it, so that
 * inspector1's "today" is the demo's day in a real browser too. Only such a server reports its clock
 * (`/api/instance` `serverClock`); with a real server the device's clock is the app's clock. The offset is
 * kept in localStorage so that an installed app opened offline stays on the demo's day.
 */
import type { InstanceInfo } from '../protocol/auth';
import { setClockOffset, shanghaiDate } from '../domain/time';

const KEY = 'eicp.clockOffset';

/** apply what the last answer said (at start, before the network answers) */
export function restoreServerClock(): void {
  try {
    const v = Number(localStorage.getItem(KEY));
    if (Number.isFinite(v)) setClockOffset(v);
  } catch {
    /* no storage */
  }
}

/** follow the server's clock from an `/api/instance` answer (no `serverClock`: the device's own) */
export function followServerClock(i: InstanceInfo): void {
  const server = i.serverClock ? Date.parse(i.serverClock.now) : NaN;
  const device = Date.now();
  // followed when it is another day there, or more than an hour away; minutes apart (a test whose browser
  // clock started with the server's, a device's drift) it is the same day either way
  const far = Number.isFinite(server) && (shanghaiDate(new Date(server)) !== shanghaiDate(new Date(device)) || Math.abs(server - device) >= 3_600_000);
  const ms = far ? server - device : 0;
  setClockOffset(ms);
  try {
    if (ms) localStorage.setItem(KEY, String(ms));
    else localStorage.removeItem(KEY);
  } catch {
    /* quota */
  }
}
