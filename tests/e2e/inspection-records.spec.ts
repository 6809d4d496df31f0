/**
 * Inspection records end to end on the spec's own server (tests 3 and 5 damage files under its DATA_DIR):
 * 1. an off-site inspection recorded without a scan, with its data sources, seen by the enterprise;
 * 2. on-site and offline on two phones: scan, two photos from the camera, a finding, rectify; the second
 *    inspector co-signs by scanning the join code on the first phone (offline too); three hand signatures and
 *    the two PDF documents made on the phone; back online everything uploads and every photo hashes to its name;
 * 3. the enterprise downloads the PDFs and their text says what the inspection found and decided; once the stored
 *    PDF is damaged, the page shows the server's refusal instead of saving a file;
 * 4. a rectification ordered, reported by the enterprise with a photo, accepted by the inspector on the follow-up task;
 * 5. evidence bytes that do not hash to their name are refused, and a stored file damaged later is never served.
 * Tests 2 and 3 run in order (3 reads the documents 2 made); the others set up their own records over real sockets.
 */
import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { extractText } from 'unpdf';
import { test, expect, signIn, ownServer, newContext } from './fixtures';
import { camDir, launchWithCamera, phoneContext, realCode } from './checkin-helpers';
import {
  cuttableNet,
  signInForOffline,
  getEvidence,
  launchWithNoisyCamera,
  NodeInspector,
  photoJpeg,
  session,
  sha256,
  storedFiles,
  upload,
} from './inspection-helpers';
import { qrMatrix } from '../helpers/fake-camera';
import { drawSignature, openEnterprise1Task } from './inspection-steps';
import { connectProvider, destroyAll, waitSynced, type SpawnedServer } from '../helpers/spawn-server';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../server/seed/constants';
import type { LedgerRecord } from '../../src/domain/schemas';

test.use({ actionTimeout: 15_000 });

let srv: SpawnedServer & { cleanup(): Promise<void> };
test.beforeAll(async () => {
  srv = await ownServer();
});
test.afterAll(async () => {
  await srv?.cleanup();
  fs.rmSync(camDir, { recursive: true, force: true });
});

const TODAY = '2026-11-25';
const FINDING = '后厨冷藏柜未按规定记录温度';
const SOURCE_NOTE = '调阅近三个月进货查验记录与索证索票台账';

/** a Chromium whose camera shows `text` (a long text: a dense QR) at a size the scanner reads */
function launchShowing(text: string): Promise<Browser> {
  // the join page decodes a square box of 90% of the viewfinder's short edge: the code with its quiet zone well inside
  const side = 640;
  const modules = qrMatrix(text, 'L').size + 6;
  return launchWithCamera(text, { width: side, height: side, modulePx: Math.max(3, Math.floor((side * 0.65) / modules)), errorCorrectionLevel: 'L' });
}

test('an off-site inspection is recorded without a scan, with its sources; the enterprise sees them', async ({ browser }) => {
  test.setTimeout(60_000);
  const insp = await NodeInspector.signIn(srv.url, 'inspector1');
  const task = (await insp.tasks()).find(
    (t) => t.method !== 'onsite' && !t.followUpOf && t.inspectorIds.includes('insp-city-market-1') && t.window.from <= TODAY && TODAY <= t.window.to,
  );
  expect(task, "today's off-site task of the demo pair (seed)").toBeTruthy();
  const uscc = task!.uscc;

  const page = await (await phoneContext(browser, srv.url)).newPage();
  await signIn(page, 'inspector1');
  const card = page
    .getByTestId('tasks-today')
    .getByTestId('task-card')
    .filter({ has: page.locator(`a[href$="/${encodeURIComponent(task!.id)}"]`) });
  const label = task!.method === 'offsite' ? '非现场' : '书面';
  await card.getByTestId('task-open').click();
  await expect(page.getByTestId('checkin-task')).toContainText(uscc);
  await expect(page.getByTestId('checkin-method')).toContainText(label);
  await expect(page.getByTestId('checkin-method')).toHaveAttribute('data-method', task!.method);
  await page.getByTestId('second-inspector').selectOption('insp-city-market-2');
  await expect(page.getByTestId('team-member')).toHaveCount(2);
  await expect(page.getByTestId('offsite-card')).toBeVisible();
  await expect(page.getByTestId('scan-start')).toHaveCount(0); // no scan for an off-site inspection
  await page.getByTestId('conduct-ack').check();
  await expect(page.getByTestId('offsite-start')).toBeDisabled(); // no source yet
  await page.getByTestId('offsite-source-kind').selectOption('documents');
  await page.getByTestId('offsite-source-note').fill(SOURCE_NOTE);
  await page.getByTestId('offsite-source-add').click();
  await expect(page.getByTestId('offsite-source')).toHaveCount(1);
  await page.getByTestId('offsite-start').click();
  await page.getByTestId('outcome-no_problem').check();
  await page.getByTestId('checkout').click();
  await expect(page.getByTestId('checked-out')).toBeVisible();
  await page.context().close();

  // the ledger holds an off-site entry with the source, and no code
  const sup = await session(srv.url, 'supervisor1');
  const ledger = connectProvider(srv.wsUrl, `ledger/${uscc}`, sup.token);
  try {
    await waitSynced(ledger);
    await expect
      .poll(() => {
        const recs = [...ledger.doc.getMap('records').values()].map((s) => (s as { rec: LedgerRecord }).rec);
        const e = recs.find((r) => r.type === 'entry' && r.taskId === task!.id);
        return e && e.type === 'entry' ? { via: e.via, method: e.method, code: e.code, notes: e.sources?.map((s) => s.note) } : null;
      })
      .toEqual({ via: 'offsite', method: task!.method, code: undefined, notes: [SOURCE_NOTE] });
  } finally {
    destroyAll(ledger);
  }

  // the enterprise sees the entry with its sources (its own account when the demo has one, else the supervisors' file)
  const account = uscc === ENTERPRISE1_USCC ? 'enterprise1' : uscc === ENTERPRISE2_USCC ? 'enterprise2' : null;
  const ctx = await newContext(browser, srv.url);
  const ent = await ctx.newPage();
  if (account) {
    await signIn(ent, account);
    await expect(ent.getByTestId('ledger-record').getByTestId('entry-sources').filter({ hasText: SOURCE_NOTE })).toBeVisible();
  } else {
    await signIn(ent, 'supervisor1');
    await ent.goto(`/supervisor/file/${uscc}`);
    await expect(ent.getByText(SOURCE_NOTE).first()).toBeVisible();
  }
  await ctx.close();
});

test.describe
  .serial('on-site, offline, two phones, documents', () => {
    test('offline: scan, two photos, finding, rectify; the second phone co-signs from the join code; three signatures, two PDFs; back online all uploads', async () => {
      test.setTimeout(150_000);
      const a = await launchWithNoisyCamera((await realCode(srv.url, ENTERPRISE1_USCC)).qrText);
      let b: Browser | undefined;
      try {
        const ctxA = await phoneContext(a, srv.url);
        const netA = await cuttableNet(ctxA);
        const pa = await ctxA.newPage();
        await signInForOffline(pa, 'inspector1');
        await openEnterprise1Task(pa);
        await expect(pa.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved');
        await netA.offline();
        await expect(pa.getByTestId('sync-total')).toHaveAttribute('data-state', 'offline');

        await pa.getByTestId('scan-start').click();
        await expect(pa.getByTestId('entered')).toBeVisible({ timeout: 20_000 });

        // two photos from the camera, kept on the phone at once
        const section = pa.getByTestId('evidence-section');
        await section.getByTestId('evidence-photo-start').click();
        await expect(section.getByTestId('evidence-video')).toBeVisible();
        for (let i = 1; i <= 2; i++) {
          // two frames can still be alike (the loop is 43 frames): the same bytes are one file, so take another
          await expect(async () => {
            if (!(await section.getByTestId('evidence-photo-take').isVisible())) await section.getByTestId('evidence-photo-start').click();
            await section.getByTestId('evidence-photo-take').click();
            await expect(section.getByTestId('evidence-thumb')).toHaveCount(i, { timeout: 3_000 });
          }).toPass({ timeout: 20_000 });
        }
        if (await section.getByTestId('evidence-photo-stop').isVisible()) await section.getByTestId('evidence-photo-stop').click();
        const thumbs = section.getByTestId('evidence-thumb');
        for (const t of await thumbs.all()) {
          await expect(t).toHaveAttribute('data-state', 'local');
          await expect(t.locator('img')).toBeVisible();
        }
        const photos = await Promise.all((await thumbs.all()).map((t) => t.getAttribute('data-sha256')));
        expect(new Set(photos).size).toBe(2);
        await expect(pa.getByTestId('upload-status')).toHaveAttribute('data-pending', /^([2-9]|\d{2,})$/);

        await pa.getByTestId('finding-desc').fill(FINDING);
        await pa.getByTestId('finding-add').click();
        await expect(pa.getByTestId('findings').locator('li')).toHaveCount(1);
        await pa.getByTestId('outcome-rectify').check();
        await pa.getByTestId('rectify-by').fill('2026-12-10');
        await pa.getByTestId('checkout').click();
        await expect(pa.getByTestId('checked-out')).toBeVisible();

        // the join code on the first phone's screen
        const cosign = pa.getByTestId('cosign-card');
        await expect(cosign.getByTestId('cosign-status')).toHaveAttribute('data-signed', '1');
        await cosign.getByTestId('join-code-show').click();
        const joinCode = (await cosign.getByTestId('join-code').getAttribute('data-code'))!;
        expect(joinCode).toMatch(/^EICP-JOIN:/);

        // the second inspector's phone: signed in while online, then offline, scans the code and signs
        b = await launchShowing(joinCode);
        const ctxB = await phoneContext(b, srv.url);
        const netB = await cuttableNet(ctxB);
        const pb = await ctxB.newPage();
        await signInForOffline(pb, 'inspector2');
        await expect(pb.getByTestId('join-open')).toBeVisible();
        await expect(pb.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved');
        await netB.offline();
        await pb.getByTestId('join-open').click();
        await pb.getByTestId('join-scan-start').click();
        await expect(pb.getByTestId('join-summary')).toContainText('晋味轩', { timeout: 20_000 });
        await pb.getByTestId('join-sign').click();
        await expect(pb.getByTestId('join-done')).toBeVisible();

        // three hand signatures, the representative's name, both documents made on the phone (still offline)
        const docs = pa.getByTestId('docs-card');
        for (const pad of ['sigpad-inspector-0', 'sigpad-inspector-1', 'sigpad-enterprise']) await drawSignature(pa, docs.getByTestId(pad));
        await docs.getByTestId('doc-rep-name').fill('王建国');
        await docs.getByTestId('doc-make').click();
        await expect(docs.getByTestId('doc-item')).toHaveCount(2, { timeout: 30_000 });
        expect((await docs.getByTestId('doc-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).sort()).toEqual([
          'onsite_record',
          'result_notice',
        ]);

        // back online: every file uploads, the co-signature arrives on the first phone
        await Promise.all([netA.online(), netB.online()]);
        await expect(pa.getByTestId('upload-status')).toHaveAttribute('data-pending', '0', { timeout: 60_000 });
        await expect(cosign.getByTestId('cosign-status')).toHaveAttribute('data-signed', '2', { timeout: 30_000 });
        for (const t of await thumbs.all()) await expect(t).toHaveAttribute('data-state', 'uploaded');

        // the server holds each photo, and its bytes hash to its name
        const ent = await session(srv.url, 'enterprise1');
        for (const sha of photos) {
          const r = await getEvidence(srv.url, ent.token, ENTERPRISE1_USCC, sha!);
          expect(r.status).toBe(200);
          expect(sha256(new Uint8Array(await r.arrayBuffer()))).toBe(sha);
        }
      } finally {
        await b?.close();
        await a.close();
      }
    });

    test('the enterprise downloads both PDFs; their text holds the enterprise, the agency, the finding, the decision and the appeal rights', async ({
      browser,
    }) => {
      test.setTimeout(60_000);
      const ctx = await newContext(browser, srv.url);
      try {
        const page = await ctx.newPage();
        await signIn(page, 'enterprise1');
        const record = page.getByTestId('ledger-record').filter({ hasText: FINDING }).first();
        await expect(record).toBeVisible();
        await expect(page.locator('[data-testid="entry-signatures"][data-signed="2"]')).toHaveCount(1);
        await expect(page.getByTestId('ent-doc')).toHaveCount(2);

        const { text: onsite, sha: onsiteSha } = await pdfText(page, 'onsite_record');
        for (const s of ['现场检查笔录', '晋味轩', ENTERPRISE1_USCC, '阳泉市市场监督管理局', FINDING, '整改', '行政复议']) expect(onsite, s).toContain(s);
        const { text: notice } = await pdfText(page, 'result_notice');
        for (const s of ['检查结果告知书', '晋味轩', ENTERPRISE1_USCC, '阳泉市市场监督管理局', FINDING, '整改']) expect(notice, s).toContain(s);
        expect(notice).toMatch(/2026(-|年)12(-|月)10/);

        // the stored PDF damaged on the server's disk: never served, and the page says so instead of saving a file
        const files = storedFiles(srv.dataDir, onsiteSha);
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) fs.appendFileSync(f, 'x');
        await page.reload();
        const doc = page.locator('[data-testid="ent-doc"][data-kind="onsite_record"]');
        let downloads = 0;
        page.on('download', () => downloads++);
        await doc.getByTestId('ent-doc-download').click();
        await expect(doc.locator('xpath=ancestor::section[1]').getByRole('alert')).toContainText('损坏'); // evidence_damaged
        expect(downloads).toBe(0);
      } finally {
        await ctx.close();
      }
    });
  });

/** download the enterprise's document of `kind` through the page: its text (whitespace removed) and its SHA-256 */
async function pdfText(page: Page, kind: 'onsite_record' | 'result_notice'): Promise<{ text: string; sha: string }> {
  const doc = page.locator(`[data-testid="ent-doc"][data-kind="${kind}"]`);
  const [download] = await Promise.all([page.waitForEvent('download'), doc.getByTestId('ent-doc-download').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${kind}-.+\\.pdf$`));
  const buf = fs.readFileSync((await download.path())!);
  expect(buf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const { text } = await extractText(new Uint8Array(buf), { mergePages: true });
  return { text: text.replace(/\s+/g, ''), sha: sha256(buf) };
}

test('a rectification is ordered, reported by the enterprise with a photo and accepted on the follow-up task', async ({ browser }) => {
  test.setTimeout(90_000);
  const insp = await NodeInspector.signIn(srv.url, 'inspector1');
  const notice = '检查结果告知书（整改复查）：限期整改灭蝇灯缺失问题。';
  // the inspection names an item of the agency's (a follow-up re-checks the items inspected)
  const itemIds = (await insp.tasks()).find((t) => t.uscc === ENTERPRISE1_USCC && t.itemIds.length)!.itemIds.slice(0, 1);
  const [, result] = await insp.write(
    ENTERPRISE1_USCC,
    insp.entryAndResult(ENTERPRISE1_USCC, 'rectify-e2e', { outcome: 'rectify', rectifyBy: TODAY, notice }, itemIds),
  );
  const resultId = result.rec.id;
  // the server makes the follow-up task
  let taskId = '';
  await expect.poll(async () => (taskId = (await insp.tasks()).find((t) => t.followUpOf === resultId)?.id ?? ''), { timeout: 15_000 }).not.toBe('');

  const entCtx = await newContext(browser, srv.url, { width: 360, height: 740 });
  const inspCtx = await phoneContext(browser, srv.url);
  try {
    const ent = await entCtx.newPage();
    await signIn(ent, 'enterprise1');
    const card = ent.getByTestId('ledger-record').filter({ hasText: notice }).getByTestId('rectify-card');
    await expect(card.getByTestId('rectify-status')).toHaveAttribute('data-status', 'open');
    await card.getByTestId('rectify-text').fill('已在后厨入口与备餐间各加装灭蝇灯一台');
    const photo = photoJpeg(42);
    await card.getByTestId('evidence-file-input').setInputFiles({ name: 'fixed.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(card.getByTestId('evidence-thumb')).toHaveCount(1);
    await expect(card.getByTestId('evidence-thumb')).toHaveAttribute('data-sha256', sha256(photo));
    await card.getByTestId('rectify-submit').click();
    await expect(card.getByTestId('rectify-status')).toHaveAttribute('data-status', 'reported');

    // the inspector opens the follow-up task from the home page (it falls due today) and accepts
    const page = await inspCtx.newPage();
    await signIn(page, 'inspector1');
    await page
      .getByTestId('tasks-today')
      .locator(`[data-testid="task-open"][href$="/${encodeURIComponent(taskId)}"]`)
      .click();
    const fu = page.getByTestId('followup-card');
    await expect(fu.getByTestId('followup-order')).toContainText(TODAY);
    await expect(fu.getByTestId('followup-status')).toHaveAttribute('data-status', 'reported');
    await expect(fu.getByTestId('followup-report')).toHaveCount(1);
    await expect(fu.getByTestId('followup-report')).toContainText('灭蝇灯');
    await expect(fu.getByTestId('followup-report').getByTestId('evidence-thumb')).toHaveAttribute('data-sha256', sha256(photo));
    await fu.getByTestId('followup-note').fill('现场照片显示已整改到位');
    await fu.getByTestId('followup-accept').click();
    await expect(fu.getByTestId('followup-status')).toHaveAttribute('data-status', 'accepted');

    // the enterprise sees it accepted, live; the photo reached the server intact
    await expect(card.getByTestId('rectify-status')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
    const r = await getEvidence(srv.url, insp.s.token, ENTERPRISE1_USCC, sha256(photo));
    expect(r.status).toBe(200);
    expect(sha256(new Uint8Array(await r.arrayBuffer()))).toBe(sha256(photo));
  } finally {
    await entCtx.close();
    await inspCtx.close();
  }
});

test('evidence that does not hash to its name is refused; a stored file damaged later is never served', async () => {
  const insp = await NodeInspector.signIn(srv.url, 'inspector1');
  const good = photoJpeg(7);
  const other = photoJpeg(8);
  const ref = (bytes: Buffer, name: string) => ({ sha256: sha256(bytes), kind: 'photo', type: 'image/jpeg', size: bytes.length, name });
  // the result points at both files (written first, as a phone does offline)
  await insp.write(
    ENTERPRISE2_USCC,
    insp.entryAndResult(ENTERPRISE2_USCC, 'tamper-e2e', {
      outcome: 'no_problem',
      notice: '检查结果告知书：未发现问题。',
      evidence: [ref(good, 'a.jpg'), ref(other, 'b.jpg')],
    }),
  );

  // bytes sent under another file's name: refused, nothing stored
  const bad = await upload(srv.url, insp.s.token, ENTERPRISE2_USCC, good, { name: sha256(other) });
  expect(bad.status).toBe(422);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('evidence_hash_mismatch');
  const ent2 = await session(srv.url, 'enterprise2');
  expect((await getEvidence(srv.url, ent2.token, ENTERPRISE2_USCC, sha256(other))).status).toBe(404);
  expect(storedFiles(srv.dataDir, sha256(other))).toEqual([]);

  // the right bytes: stored and served to the enterprise; another enterprise may not read them
  const ok = await upload(srv.url, insp.s.token, ENTERPRISE2_USCC, good);
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { complete: boolean }).complete).toBe(true);
  const served = await getEvidence(srv.url, ent2.token, ENTERPRISE2_USCC, sha256(good));
  expect(served.status).toBe(200);
  expect(Buffer.from(await served.arrayBuffer()).equals(good)).toBe(true);
  const ent1 = await session(srv.url, 'enterprise1');
  expect((await getEvidence(srv.url, ent1.token, ENTERPRISE2_USCC, sha256(good))).status).not.toBe(200);

  // a byte changed on the server's disk: refused as damaged
  const files = storedFiles(srv.dataDir, sha256(good));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    bytes[bytes.length >> 1] ^= 0xff;
    fs.writeFileSync(f, bytes);
  }
  const damaged = await getEvidence(srv.url, ent2.token, ENTERPRISE2_USCC, sha256(good));
  expect(damaged.status).toBe(409);
  expect(((await damaged.json()) as { error: { code: string } }).error.code).toBe('evidence_damaged');
});
