/**
 * The layouts people have: a wide screen, laptops, a projector, a tablet and a phone. At every width
 * the answer (the explanation) and the overview are reachable with real height, labels are not
 * clipped and the top bar fits. Screenshots go to e2e/screenshots/layout-<width>.png for review.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const DEMO = join(import.meta.dirname, '..', 'public', 'demo', 'demo.pcap');

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
  { width: 800, height: 1000 },
  { width: 390, height: 844 },
];

async function dismissToasts(page: Page): Promise<void> {
  const ok = page.getByRole('button', { name: 'OK', exact: true });
  if (await ok.isVisible()) await ok.click();
}

/** The element's box once scrolled into view: what a person reaches by scrolling. */
async function reachedBox(locator: Locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error('not displayed');
  return box;
}

for (const size of WIDTHS) {
  test(`at ${size.width} px the explanation, the overview and the labels are all there`, async ({ page }) => {
    await page.setViewportSize(size);
    const app = new AppPage(page);
    await app.open();
    await app.dropFile(DEMO);
    await app.waitForAnalysis();
    await expect(app.explanation).toHaveAttribute('data-scenario', /.+/);
    await dismissToasts(page);
    await app.screenshot(`layout-${size.width}`);

    // The top bar fits in the window.
    const bar = await page.locator('.topbar').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, page: document.documentElement.clientWidth }));
    expect(bar.scroll, 'top bar content width').toBeLessThanOrEqual(bar.client);
    expect(bar.client, 'top bar width').toBeLessThanOrEqual(bar.page);

    // The explanation and the overview have room to be read.
    const explanation = await reachedBox(app.explanation);
    expect(explanation.height, 'explanation height').toBeGreaterThanOrEqual(200);
    await expect(app.explanation.getByRole('heading', { level: 2 })).toBeInViewport();
    const overview = await reachedBox(page.getByRole('region', { name: /Resets over time|Overview/ }).or(page.locator('.charts-panel')).first());
    expect(overview.height, 'overview height').toBeGreaterThanOrEqual(150);

    // Both lane labels of the ladder are inside it, not clipped.
    const ladder = await reachedBox(app.ladder);
    for (const lane of ['.lane-client', '.lane-server']) {
      const label = await app.ladder.locator(lane).boundingBox();
      expect(label, lane).not.toBeNull();
      expect(label!.x, `${lane} left`).toBeGreaterThanOrEqual(ladder.x - 1);
      expect(label!.x + label!.width, `${lane} right`).toBeLessThanOrEqual(ladder.x + ladder.width + 1);
      const clipped = await app.ladder.locator(lane).evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(clipped, `${lane} text cut`).toBe(false);
    }
  });
}

/** A two-packet IPv6 capture (SYN, then RST/ACK) between long addresses, as a classic pcap. */
function ipv6Capture(): Buffer {
  const client = '20010db8aaaabbbbccccddddeeee0001';
  const server = '20010db8123456789abcdef012345678';
  const packet = (from: string, to: string, sport: number, dport: number, flags: number, ack: number, usec: number) => {
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(sport, 0);
    tcp.writeUInt16BE(dport, 2);
    tcp.writeUInt32BE(1000, 4);
    tcp.writeUInt32BE(ack, 8);
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    tcp.writeUInt16BE(65535, 14);
    const ip = Buffer.concat([Buffer.from('6000000000140640', 'hex'), Buffer.from(from, 'hex'), Buffer.from(to, 'hex')]);
    const frame = Buffer.concat([Buffer.from('02000000000202000000000186dd', 'hex'), ip, tcp]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000, 0);
    record.writeUInt32LE(usec, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  };
  const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
  return Buffer.concat([header, packet(client, server, 50000, 443, 0x02, 0, 0), packet(server, client, 443, 50000, 0x14, 1001, 300)]);
}

test('an IPv6 server keeps its port in the list, with the whole address as a tooltip', async ({ page }, testInfo) => {
  const path = testInfo.outputPath('ipv6.pcap');
  writeFileSync(path, ipv6Capture());
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(path);
  await app.waitForAnalysis();
  const cell = app.rows.first().locator('td').nth(2);
  const endpoint = cell.locator('.endpoint');
  await expect(endpoint).toHaveAttribute('title', '[2001:db8:1234:5678:9abc:def0:1234:5678]:443');
  const port = endpoint.locator('.endpoint-port');
  await expect(port).toHaveText(':443');
  const [cellBox, portBox] = [await cell.boundingBox(), await port.boundingBox()];
  expect(portBox!.x + portBox!.width, 'the port inside its cell').toBeLessThanOrEqual(cellBox!.x + cellBox!.width);
  await app.screenshot('layout-ipv6');
});
