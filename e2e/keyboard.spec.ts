/** The keyboard reaches everything without a click first: list, filter, packet details, the ladder. */
import { join } from 'node:path';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const PORT_SCAN = join(import.meta.dirname, 'fixtures', 'port-scan.pcap');
const LONG = join(import.meta.dirname, 'fixtures', 'rst-not-received.pcap');

test('j and k move through the list without clicking it first, / goes to the filter', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(PORT_SCAN);
  await app.waitForAnalysis();
  const selected = app.list.locator('[aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  const order = await app.shownConnectionIds();
  const first = Number(await selected.getAttribute('data-connection-id'));
  const at = order.indexOf(first);
  // Nothing has the focus: the page itself.
  await expect(app.list).not.toBeFocused();
  await page.keyboard.press('j');
  await expect(app.row(order[at + 1]!)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(app.row(order[at]!)).toHaveAttribute('aria-selected', 'true');

  await page.keyboard.press('/');
  await expect(app.filterText).toBeFocused();
  // In the field, j and / are text.
  await page.keyboard.type('10.99/j');
  await expect(app.filterText).toHaveValue('10.99/j');
  await expect(app.ladder).toHaveAttribute('data-connection-id', String(order[at]));
});

test('Escape closes the packet details', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(PORT_SCAN);
  await app.waitForAnalysis();
  await app.ladder.locator('[data-frame]').first().click();
  await expect(app.packetDetails).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(app.packetDetails).toHaveCount(0);
});

test('the ladder is one Tab stop, and the arrow keys move between its arrows', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(LONG);
  await app.waitForAnalysis();
  await expect(app.ladder.locator('[data-frame]').first()).toBeVisible();
  const stops = app.ladder.locator('[tabindex="0"]');
  await expect(stops).toHaveCount(1);
  await expect(app.ladder.locator('[tabindex="-1"]').first()).toBeAttached();

  await stops.focus();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-frame') ?? document.activeElement?.getAttribute('data-run-first') ?? null);
  const start = await focused();
  expect(start).not.toBeNull();
  await page.keyboard.press('ArrowDown');
  await expect.poll(focused).not.toBe(start);
  const second = await focused();
  await expect(app.ladder.locator('[tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowUp');
  await expect.poll(focused).toBe(start);
  // Tab leaves the ladder at once instead of walking through every arrow.
  await page.keyboard.press('ArrowDown');
  await expect.poll(focused).toBe(second);
  await page.keyboard.press('Tab');
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="ladder"]') !== null)).toBe(false);
});
