/**
 * A real installation starts mid-year with no plans on the platform: the filing due date of that year
 * passed before the platform kept any record, so nobody is warned about it. The next year's due date is
 * the platform's own: an agency without a filed plan the day after it is warned.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, type SpawnedServer } from '../../helpers/spawn-server';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-prod-deadline-'));
let srv: SpawnedServer | undefined;
afterAll(async () => {
  await srv?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const unfiled = (s: SpawnedServer) => s.logs.filter((l) => l.msg === 'unfiled plans');
/** the start-up deadline check runs once the first projection catch-up is done */
const settle = () => new Promise((r) => setTimeout(r, 1500));
const production = (clockNow: string) => spawnServer({ dataDir, env: { NODE_ENV: 'production', CLOCK_NOW: clockNow } });

describe('unfiled plans on a real installation', () => {
  it('warns from the first due date after installation, not about one before it', async () => {
    srv = await production('2026-06-15T10:00:00+08:00');
    await settle();
    expect(srv.logs.some((l) => String(l.msg).startsWith('reference data stored'))).toBe(true);
    expect(unfiled(srv)).toEqual([]);

    // the same installation on 1 February of the next year, the day after its due date
    await srv.stop();
    srv = await production('2027-02-01T10:00:00+08:00');
    await settle();
    const w = unfiled(srv);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ year: 2027 });
    expect((w[0].agencies as string[]).length).toBeGreaterThan(100); // every enforcement agency, townships included
  }, 120_000);
});
