/** A view that cannot be drawn never takes the page down: crafted links, and a panel that fails. */
import { join } from 'node:path';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

for (const id of ['__proto__', 'constructor', 'toString']) {
  test(`a link filtering on the finding “${id}” shows an empty list, not a blank page`, async ({ page }) => {
    const app = new AppPage(page);
    // A link without a fingerprint waits for the next capture.
    await app.open(`#fnd=${id}&scn=${id}&st=${id}`);
    await app.dropFile(join(FIXTURES, 'port-scan.pcap'));
    await app.waitForAnalysis();
    await expect(page.getByText('No connection matches the filters.')).toBeVisible();
    await expect(page.getByTestId('summary')).toBeVisible();
    await expect(page.getByTestId('view-failed')).toHaveCount(0);
    // Clearing the filters brings the connections back.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(app.rows.first()).toBeVisible();
  });
}

test('a panel that fails to draw leaves the page, and "Reset view" brings the view back', async ({ page, consoleErrors }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(join(FIXTURES, 'port-scan.pcap'));
  await app.waitForAnalysis();
  await expect(app.rows.first()).toBeVisible();
  await app.filterText.fill('10.99');

  // Stand in for a bug: counts fail to format while the flag is up (every panel formats counts).
  await page.evaluate(() => {
    const w = window as unknown as { breakCounts: boolean };
    w.breakCounts = true;
    const original = Number.prototype.toLocaleString;
    Number.prototype.toLocaleString = function (this: number, ...args: Parameters<typeof original>) {
      if (w.breakCounts) throw new Error('injected failure');
      return original.apply(this, args);
    };
    // The views format counts with one Intl.NumberFormat made once: its `format` is a getter.
    const format = Object.getOwnPropertyDescriptor(Intl.NumberFormat.prototype, 'format')!;
    Object.defineProperty(Intl.NumberFormat.prototype, 'format', {
      ...format,
      get(this: Intl.NumberFormat) {
        if (w.breakCounts) throw new Error('injected failure');
        return format.get!.call(this) as unknown;
      },
    });
  });
  await app.filterText.fill('10.99.');
  const failed = page.getByTestId('view-failed');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('This view could not be shown.');
  // The page is still there: the top bar with the open capture and its buttons.
  await expect(page.getByTestId('file-name')).toHaveText('port-scan.pcap');
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();

  await page.evaluate(() => ((window as unknown as { breakCounts: boolean }).breakCounts = false));
  await page.getByTestId('reset-view').click();
  await expect(failed).toHaveCount(0);
  await expect(app.rows.first()).toBeVisible();
  await expect(app.filterText).toHaveValue('');
  // React reported the injected failure; nothing else went wrong.
  expect(consoleErrors.length).toBeGreaterThan(0);
  expect(consoleErrors.every((e) => e.includes('injected failure') || e.includes('ErrorBoundary'))).toBe(true);
  consoleErrors.length = 0;
});
