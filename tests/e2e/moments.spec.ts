/**
 * The demo works on any day. At each moment of tests/helpers/moments.ts (the real today, a quiet day, the
 * day after the filing due date, a year boundary) a server starts on an empty DATA_DIR with CLOCK_NOW set
 * (none for today) and seeds the demo around that day; the browsers' clocks start at the same instant.
 * Every demo role's home then shows what the walk-through needs, and inspector1 checks in at enterprise1
 * by scanning its code with the camera.
 */
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';
import { camDir, launchWithCamera, openTodaysTask, phoneContext, realCode } from './checkin-helpers';
import { spawnServer, ROOT, type SpawnedServer } from '../helpers/spawn-server';
import { MOMENTS, momentDate } from '../helpers/moments';
import { shanghaiDate, shanghaiYear } from '../../src/domain/time';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../server/seed/constants';

test.use({ actionTimeout: 15_000 });

for (const m of MOMENTS) {
  test.describe(`at ${m.name}`, () => {
    let srv: SpawnedServer;
    const at = m.at ?? null;
    const slug = m.at ? shanghaiDate(m.at) : 'today';
    test.beforeAll(async () => {
      srv = await spawnServer({ env: { STATIC_DIR: process.env.E2E_DIST ?? path.join(ROOT, 'dist'), CLOCK_NOW: m.at ?? '', LOGIN_MAX_FAILS_IP: '1000' } });
    });
    test.afterAll(async () => {
      await srv?.stop();
    });

    const home = async (browser: Browser, user: string, check: (p: Page) => Promise<void>) => {
      const ctx = await newContext(browser, srv.url, { width: 360, height: 740 }, at);
      try {
        const page = await ctx.newPage();
        await signIn(page, user);
        await check(page);
        await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
        await page.screenshot({ path: path.join(SHOTS, `moment-${slug}-${user}-360.png`), fullPage: true });
      } finally {
        await ctx.close();
      }
    };

    test("every demo role's home has what the walk-through needs", async ({ browser }) => {
      test.setTimeout(120_000);
      const year = shanghaiYear(momentDate(m));
      expect(srv.logs.find((l) => l.msg === 'demo data seeded')).toMatchObject({ builtAround: shanghaiDate(momentDate(m)) });
      for (const user of ['inspector1', 'inspector2', 'inspector3']) {
        await home(browser, user, async (p) => {
          await expect(p.getByTestId('tasks-today').getByTestId('task-card').first()).toBeVisible();
        });
      }
      await home(browser, 'agency1', async (p) => {
        await expect(p.getByTestId(`plan-card-${year}`).getByText('已公开')).toBeVisible();
        await expect(p.getByTestId(`plan-card-${year + 1}`).getByText('草稿')).toBeVisible();
      });
      for (const [user, uscc] of [
        ['enterprise1', ENTERPRISE1_USCC],
        ['enterprise2', ENTERPRISE2_USCC],
      ]) {
        await home(browser, user, async (p) => {
          await expect(p.getByTestId('profile')).toContainText(uscc);
          await expect(p.getByTestId('ledger').getByTestId('ledger-record').first()).toBeVisible();
        });
      }
      await home(browser, 'supervisor1', async (p) => {
        // the projection raises the seed's warnings of this year shortly after start
        await expect(async () => {
          await p.reload();
          await expect(p.getByTestId('warning-open-count')).not.toHaveText(/^\D*0\D*$/, { timeout: 2_000 });
        }).toPass({ timeout: 30_000 });
        await p.getByTestId('cert-filter').selectOption('expired');
        await expect(p.getByTestId('cert-row').first()).toBeVisible();
        await p.getByTestId('cert-filter').selectOption('expiring');
        await expect(p.getByTestId('cert-row').first()).toHaveAttribute('data-state', 'expiring');
        if (m.at?.startsWith('2027-02-01')) await expect(p.getByTestId('unfiled-agency').first()).toBeVisible();
      });
    });

    if (m.at) {
      test("a browser on the real date follows the demo server's day", async ({ browser }) => {
        const ctx = await newContext(browser, srv.url, { width: 360, height: 740 }, null);
        try {
          const page = await ctx.newPage();
          await signIn(page, 'inspector1');
          const day = shanghaiDate(m.at!);
          await expect(page.getByRole('heading', { name: new RegExp(day) })).toBeVisible();
          await expect(page.getByTestId('tasks-today').getByTestId('task-card').first()).toBeVisible();
          expect(await page.evaluate(() => localStorage.getItem('eicp.clockOffset'))).not.toBeNull();
        } finally {
          await ctx.close();
        }
      });
    }

    test('inspector1 checks in at enterprise1 by scanning its code', async () => {
      test.setTimeout(120_000);
      const browser = await launchWithCamera((await realCode(srv.url, ENTERPRISE1_USCC)).qrText);
      try {
        const page = await (await phoneContext(browser, srv.url, undefined, at)).newPage();
        await openTodaysTask(page);
        await page.getByTestId('scan-start').click();
        await expect(page.getByTestId('entered')).toBeVisible({ timeout: 30_000 });
        await page.screenshot({ path: path.join(SHOTS, `moment-${slug}-checkin-360.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    });
  });
}

test.afterAll(async () => {
  const fs = await import('node:fs');
  fs.rmSync(camDir, { recursive: true, force: true });
});
