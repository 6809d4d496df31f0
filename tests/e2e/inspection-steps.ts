/**
 * Page steps shared by the inspection-records spec and bench:evidence (no test fixtures here, so bench/ can import
 * them): opening today's task at enterprise1 with the team composed, and a hand signature drawn on a pad.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';

/** inspector1 (signed in) opens today's planned task at enterprise1 (晋味轩), composes the team, acknowledges the rules */
export async function openEnterprise1Task(page: Page): Promise<void> {
  const card = page.getByTestId('tasks-today').getByTestId('task-card').filter({ hasText: '晋味轩' }).filter({ hasText: '计划检查' }).first();
  await card.getByTestId('task-open').click();
  await expect(page.getByTestId('checkin-task')).toContainText(ENTERPRISE1_USCC);
  await page.getByTestId('second-inspector').selectOption('insp-city-market-2');
  await expect(page.getByTestId('team-member')).toHaveCount(2);
  await expect(page.getByTestId('blocked')).toHaveCount(0);
  await page.getByTestId('conduct-ack').check();
}

/** draw on the pad whose wrapper is `pad`, click `sigpad-done` and wait for the pad to say it is signed */
export async function drawSignature(page: Page, pad: Locator): Promise<void> {
  const canvas = pad.getByTestId('sigpad-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (0.2 + i * 0.07), y + (i % 2 ? -12 : 12), { steps: 3 });
  await page.mouse.up();
  await pad.getByTestId('sigpad-done').click(); // actionability: waits until enabled (a stroke was drawn)
  await pad.and(page.locator('[data-signed="true"]')).waitFor();
}
