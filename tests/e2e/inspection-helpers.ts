/**
 * Steps of the inspection-records spec: a context whose network can be cut for real (sync sockets closed
 * through routeWebSocket, HTTP refused by setOffline), a hand signature drawn on a pad, evidence uploads over
 * the real HTTP API, and signed ledger records written over real sockets as the phone app would.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expect, signIn } from './fixtures';
import { connectProvider, destroyAll, waitFor, waitSynced } from '../helpers/spawn-server';
import { registeredDevice, sign, RECORD_AT } from '../helpers/devices';
import { CHROMIUM_PATH, encodeJpeg, fakeCameraArgs, makeFakeCameraFile, renderFrame } from '../helpers/fake-camera';
import { camDir, demoLogin } from './checkin-helpers';
import { readTasks } from '../../src/model';
import type { DeviceKey } from '../../src/domain/record-signing';
import type { LedgerRecord, SignedRecord, Task } from '../../src/domain/schemas';
import type { z } from 'zod';

export const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

/** a context that can go offline for real: sync sockets closed (setOffline alone keeps them open), HTTP refused */
export async function cuttableNet(ctx: BrowserContext): Promise<{ offline(): Promise<void>; online(): Promise<void> }> {
  let blocked = false;
  const live = new Set<{ close(o?: { code?: number; reason?: string }): Promise<void> }>();
  await ctx.routeWebSocket(/\/sync\//, (ws) => {
    if (blocked) {
      void ws.close({ code: 1001, reason: 'offline (test)' });
      return;
    }
    ws.connectToServer();
    live.add(ws);
    ws.onClose(() => live.delete(ws));
  });
  return {
    async offline() {
      blocked = true;
      await ctx.setOffline(true);
      for (const ws of live) void ws.close({ code: 1001, reason: 'offline (test)' });
      live.clear();
    },
    async online() {
      blocked = false;
      await ctx.setOffline(false);
    },
  };
}

/**
 * Sign in and make the phone ready to work offline: the service worker active and controlling the page (a
 * page loaded before it took over fetches its lazy chunks and the document font from the network).
 */
export async function signInForOffline(page: Page, username: string): Promise<void> {
  await signIn(page, username);
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { timeout: 30_000 }).toBe('activated');
  await page.reload();
  await expect(page.getByTestId('role')).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/**
 * A Chromium whose camera shows `text` with a little noise that changes from frame to frame, so that two photos
 * taken of it are two files (identical frames would be one content-addressed file).
 */
export function launchWithNoisyCamera(text: string): Promise<Browser> {
  const file = makeFakeCameraFile(text, { width: 360, height: 480, margin: 3, frames: 40, blankFrames: 3, modulePx: 4, noise: 3, dir: camDir });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: fakeCameraArgs(file) });
}

/** a JPEG photo (grey noise, `seed` makes it unique) */
export function photoJpeg(seed: number, width = 320, height = 240): Buffer {
  return encodeJpeg(renderFrame(null, { width, height, noise: 40, seed }), 80);
}

export interface Session {
  token: string;
  userId: string;
}

export async function session(baseURL: string, username: string): Promise<Session> {
  const { token, userId } = await demoLogin(baseURL, username);
  return { token, userId };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** start an upload and send `bytes` as one chunk, named `name` (its SHA-256, or a wrong one); the last response */
export async function upload(
  baseURL: string,
  token: string,
  uscc: string,
  bytes: Buffer,
  o: { name?: string; kind?: string; type?: string } = {},
): Promise<Response> {
  const name = o.name ?? sha256(bytes);
  const start = await fetch(`${baseURL}/api/evidence/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(token) },
    body: JSON.stringify({ sha256: name, kind: o.kind ?? 'photo', type: o.type ?? 'image/jpeg', size: bytes.length, uscc }),
  });
  expect(start.status, await start.clone().text()).toBe(200);
  return fetch(`${baseURL}/api/evidence/uploads/${name}?offset=0`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...auth(token) },
    body: new Uint8Array(bytes),
  });
}

export const getEvidence = (baseURL: string, token: string, uscc: string, sha: string): Promise<Response> =>
  fetch(`${baseURL}/api/evidence/${uscc}/${sha}`, { headers: auth(token) });

/** every file under `dir` whose name contains `sha` (the server's evidence store, whatever its layout) */
export function storedFiles(dir: string, sha: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.includes(sha)) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

/** an inspector who writes signed records over real sockets, as the phone app does */
export class NodeInspector {
  private constructor(
    readonly baseURL: string,
    readonly s: Session,
    readonly key: DeviceKey,
    readonly me: { userId: string; agencyId: string; inspectorId: string; name: string },
  ) {}

  static async signIn(baseURL: string, username: string): Promise<NodeInspector> {
    const s = await session(baseURL, username);
    const key = await registeredDevice(baseURL, s.token);
    const me = (await (await fetch(`${baseURL}/api/me`, { headers: auth(s.token) })).json()) as NodeInspector['me'];
    return new NodeInspector(baseURL, s, key, me);
  }

  get wsUrl(): string {
    return `${this.baseURL.replace(/^http/, 'ws')}/sync`;
  }

  /** sign and write records to ledger/<uscc>; resolves once the server holds them (read back on a fresh socket) */
  async write(uscc: string, recs: z.input<typeof LedgerRecord>[]): Promise<SignedRecord[]> {
    const signed = await Promise.all(recs.map((r) => sign(r, this.key)));
    const ledger = connectProvider(this.wsUrl, `ledger/${uscc}`, this.s.token);
    try {
      await waitSynced(ledger);
      ledger.doc.transact(() => {
        for (const r of signed) ledger.doc.getMap('records').set(r.rec.id, r);
      });
      await waitFor(
        async () => {
          const check = connectProvider(this.wsUrl, `ledger/${uscc}`, this.s.token);
          try {
            await waitSynced(check);
            return signed.every((r) => check.doc.getMap('records').has(r.rec.id));
          } finally {
            destroyAll(check);
          }
        },
        15_000,
        'records stored on the server',
      );
    } finally {
      destroyAll(ledger);
    }
    return signed;
  }

  /** a written inspection recorded late (补录) by this inspector alone, and its result */
  entryAndResult(
    uscc: string,
    id: string,
    result: { outcome: 'no_problem' | 'rectify'; rectifyBy?: string; notice: string; evidence?: unknown[] },
    itemIds: string[] = [],
  ): z.input<typeof LedgerRecord>[] {
    const later = new Date(new Date(RECORD_AT).getTime() - 30 * 60_000).toISOString();
    const at = new Date(new Date(RECORD_AT).getTime() - 90 * 60_000).toISOString();
    return [
      {
        id: `entry-${id}`,
        uscc,
        at,
        by: this.me.userId,
        type: 'entry',
        agencyId: this.me.agencyId,
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: `T-${id}`.slice(0, 60) } },
        method: 'written',
        team: [{ inspectorId: this.me.inspectorId, name: this.me.name.slice(0, 50), certificateNumber: 'TEST', certificateValid: true }],
        itemIds,
        via: 'late',
        lateReason: 'e2e record',
        exemptions: [],
        device: 'e2e',
        conductAcknowledged: true,
      },
      {
        id: `result-${id}`,
        uscc,
        at: later,
        by: this.me.userId,
        type: 'result',
        entryId: `entry-${id}`,
        agencyId: this.me.agencyId,
        checklist: [],
        findings: [],
        checkedOutAt: later,
        ...result,
      } as z.input<typeof LedgerRecord>,
    ];
  }

  /** the tasks of the inspector's agency this year (read over a socket) */
  async tasks(year = 2026): Promise<Task[]> {
    const p = connectProvider(this.wsUrl, `tasks/${this.me.agencyId}/${year}`, this.s.token);
    try {
      await waitSynced(p);
      return readTasks(p.doc).items;
    } finally {
      destroyAll(p);
    }
  }
}
