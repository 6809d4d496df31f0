/** The draw form's defaults and the small rules of the draw pages (src/pages/draws/draw-logic.ts). */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { bpToPercent, defaultRatios, defaultWindow, externalCommitCommand, mustAct, percentToBp, waitingParties } from '../../../src/pages/draws/draw-logic';
import { commitmentOf } from '../../../src/domain/draw';
import { markdownToHtml } from '../../../src/pages/public/markdown';

describe('default window', () => {
  it('runs from tomorrow to the end of the month when this month is one of the item months', () => {
    expect(defaultWindow('2026-11-25', 2026, [11, 12])).toEqual({ from: '2026-11-26', to: '2026-11-30' });
  });
  it('starts on the first day of the next item month', () => {
    expect(defaultWindow('2026-11-25', 2026, [3, 12])).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
  it('moves to the next month when today is the last day of one', () => {
    expect(defaultWindow('2026-11-30', 2026, [11, 12])).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
  it('falls back to the last month when every month is over', () => {
    expect(defaultWindow('2026-11-25', 2026, [2, 5])).toEqual({ from: '2026-05-01', to: '2026-05-31' });
  });
});

describe('default ratios', () => {
  const policy = { A: 300, B: 500, C: 1000, D: 2000 };
  it('scales the policy so that class B is the item ratio', () => {
    expect(defaultRatios(policy, 0.1)).toEqual({ A: 600, B: 1000, C: 2000, D: 4000 });
  });
  it('caps each class at 100%', () => {
    expect(defaultRatios(policy, 0.4)).toEqual({ A: 2400, B: 4000, C: 8000, D: 10000 });
  });
  it("keeps the policy's own without a ratio or when its B is 0", () => {
    expect(defaultRatios(policy, undefined)).toEqual(policy);
    expect(defaultRatios({ ...policy, B: 0 }, 0.1)).toEqual({ ...policy, B: 0 });
  });
});

describe('percent and basis points', () => {
  it('round-trips', () => {
    expect(bpToPercent(1250)).toBe('12.5');
    expect(percentToBp('12.5')).toBe(1250);
    expect(percentToBp(' 5% ')).toBe(500);
    expect(percentToBp('0.01')).toBe(1);
  });
  it('refuses what is not a percent', () => {
    for (const s of ['', 'abc', '-1', '100.5']) expect(percentToBp(s)).toBeNull();
  });
});

describe('who has to act', () => {
  const parties = [{ party: 'agency:a', commitment: 'c', committedAt: '2026-11-25T02:00:00Z' }, { party: 'justice:j' }];
  it('asks for the commitments first, then the reveals', () => {
    expect(waitingParties({ status: 'committing', parties })).toEqual(['justice:j']);
    expect(mustAct({ status: 'committing', parties }, 'justice:j')).toBe(true);
    expect(mustAct({ status: 'committing', parties }, 'agency:a')).toBe(false);
    const all = parties.map((p) => ({ ...p, commitment: 'c', revealedAt: p.party === 'agency:a' ? '2026-11-25T03:00:00Z' : undefined }));
    expect(waitingParties({ status: 'revealing', parties: all })).toEqual(['justice:j']);
    expect(waitingParties({ status: 'lapsed', parties: all })).toEqual(['justice:j']);
    expect(mustAct({ status: 'lapsed', parties: all }, 'justice:j')).toBe(false);
  });
});

describe('the specification page markdown', () => {
  it('renders headings, lists, tables, code and escapes everything else', () => {
    const html = markdownToHtml('# T `x`\n\n- a **b**\n- c\n\n| f | m |\n|---|---|\n| `d` | <i> |\n\n```\nx < y\n```\n\npara *e*');
    expect(html).toContain('<h1 id="t-x">T <code>x</code></h1>');
    expect(html).toContain('<ul><li>a <strong>b</strong></li><li>c</li></ul>');
    expect(html).toContain('<td><code>d</code></td><td>&lt;i&gt;</td>');
    expect(html).toContain('<pre><code>x &lt; y</code></pre>');
    expect(html).toContain('<p>para <em>e</em></p>');
  });
});

describe('a commitment made off the platform', () => {
  it('the shell recipe the page shows gives the commitment the server checks', () => {
    const paramsHash = 'ab'.repeat(32);
    const secret = '0123456789abcdef'.repeat(4);
    // the recipe with a fixed secret instead of openssl's
    const recipe = externalCommitCommand(paramsHash, 'justice:city-justice').replace('$(openssl rand -hex 32)', secret);
    const out = execFileSync('bash', ['-c', recipe], { encoding: 'utf8' }).trim().split('\n');
    expect(out[0]).toBe(secret);
    expect(out[1].split(/\s+/)[0]).toBe(commitmentOf(paramsHash, 'justice:city-justice', secret));
  });
});
