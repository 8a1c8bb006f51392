/** A capture read only in part says so where the verdict is, not only in a folded corner. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const FAST_CLOSE = join(import.meta.dirname, 'fixtures', 'fast-close.pcap');

test('a capture cut short says so next to the verdict', async ({ page }, testInfo) => {
  const bytes = readFileSync(FAST_CLOSE);
  const path = testInfo.outputPath('cut.pcap');
  writeFileSync(path, bytes.subarray(0, bytes.length - 20));
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(path);
  await app.waitForAnalysis();
  const notices = page.getByTestId('reading-notices');
  await expect(notices).toBeVisible();
  await expect(notices.locator('[data-kind="truncated"]')).toContainText('cut short');
  // Beside the verdict, in the summary: not inside the folded warnings.
  await expect(page.getByTestId('summary').locator('.verdict-column')).toContainText('cut short');
});

test('a .gz file that is not gzip-compressed says how it was read', async ({ page }, testInfo) => {
  const path = testInfo.outputPath('trace.pcap.gz');
  writeFileSync(path, readFileSync(FAST_CLOSE));
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(path);
  await app.waitForAnalysis();
  await expect(page.getByTestId('reading-notices').locator('[data-kind="not-gzip"]')).toHaveText(
    'The file is named .gz but is not gzip-compressed: it was read as a plain capture.',
  );
});

test('a capture read whole shows no such notice', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(FAST_CLOSE);
  await app.waitForAnalysis();
  await expect(page.getByTestId('verdict')).toBeVisible();
  await expect(page.getByTestId('reading-notices')).toHaveCount(0);
});
