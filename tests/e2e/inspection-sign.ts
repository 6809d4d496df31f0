/** A hand signature drawn on a SignaturePad (a zig-zag stroke of mouse moves) and kept; no test fixtures, so bench/ uses it too. */
import type { Locator, Page } from '@playwright/test';

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
