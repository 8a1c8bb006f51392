/**
 * Faithful links: a colleague who opens a shared connection in a fresh browser sees what the sender
 * saw — the whole capture's frame numbers, its verdicts, its file name — and is told so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from '@playwright/test';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './pwa-site.ts';

/** The list's Start cell (time since the capture's first frame) of `row`. */
async function startCell(app: AppPage, row: Locator): Promise<Locator> {
  const headers = await app.list.locator('[role="columnheader"]').allTextContents();
  const i = headers.findIndex((h) => /^start/i.test(h.trim()));
  expect(i).toBeGreaterThan(-1);
  return row.locator('[role="gridcell"]').nth(i);
}

/** Open the demo, select the connection holding `frame`, and copy its link. */
async function copyLink(page: Page, frame: number): Promise<{ link: string; explanation: string; stream: number; time: string; start: string }> {
  const app = new AppPage(page);
  await app.open();
  await app.demoButton.click();
  await app.waitForAnalysis();
  // Go to frame: the connection the reset belongs to opens, with that reset explained.
  await page.getByTestId('goto-frame').fill(String(frame));
  await page.getByTestId('goto-frame').press('Enter');
  await expect(app.explanation).toHaveAttribute('data-frame', String(frame));
  const explanation = (await app.explanation.textContent()) ?? '';
  // The sender's stream number (the selected row's id is its tcp.stream) and the reset's time.
  const stream = Number(await app.list.locator('[aria-selected="true"]').getAttribute('data-connection-id'));
  await expect(page.locator('#ladder-title')).toContainText(`Connection ${stream}`);
  const time = (await app.arrow(frame).locator('.gutter-time').textContent()) ?? '';
  expect(time).not.toBe('');
  const start = (await (await startCell(app, app.row(stream))).textContent()) ?? '';
  expect(start).not.toBe('');
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#pkt=[A-Za-z0-9_-]+&c=0$/);
  return { link, explanation, stream, time, start };
}

/** The link in a new browser context: nothing shared with the sender's page (no file, no storage). */
async function openFresh(browser: Browser, link: string): Promise<AppPage> {
  const { app, errors } = await AppPage.fromLink(browser, link);
  expect(errors).toEqual([]);
  return app;
}

const cases = [
  { frame: 42, scenario: 'port-scan', finding: 'port-scan', alone: 'refused', name: 'the port-scan reset at frame 42' },
  { frame: 547, scenario: 'overload', finding: 'overload', alone: 'fast-close', name: 'the overload reset at frame 547' },
] as const;

for (const c of cases) {
  test(`a link to ${c.name} opens elsewhere with the same frame number and verdict`, async ({ page, context, browser }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const sent = await copyLink(page, c.frame);
    expect(sent.explanation).toContain(`#${c.frame} [RST`);

    const other = await openFresh(browser, sent.link);
    await expect(other.rows).toHaveCount(1);
    await expect(other.row(0)).toHaveAttribute('aria-selected', 'true');
    // The whole capture's frame numbers: on the ladder, in the explanation, in the Wireshark filter.
    await expect(other.arrow(c.frame)).toBeVisible();
    await expect(other.explanation).toHaveAttribute('data-frame', String(c.frame));
    await expect(other.explanation).toHaveAttribute('data-scenario', c.scenario);
    expect(c.scenario).not.toBe(c.alone);
    // The sender's explanation, word for word.
    await expect(other.explanation).toHaveText(sent.explanation);
    // The finding chip of the whole capture.
    await expect(other.page.locator(`.finding-${c.finding}`)).toHaveCount(1);
    // Where it comes from, said once above the verdict; the name is the original's.
    const notice = other.page.getByTestId('shared-notice');
    await expect(notice).toContainText('Shared from demo.pcap: one connection of');
    await expect(notice).toContainText('out of the 572 frames');
    await expect(notice).toContainText('Frame numbers and verdicts are those of the whole capture');
    await expect(other.page.getByTestId('file-name')).toHaveText('demo.pcap');
    await other.page.getByTestId('copy-filter').click();
    await expect(other.page.locator(`[data-filter="frame.number == ${c.frame}"]`)).toBeVisible();
    await other.page.getByTestId('copy-filter').click();
    // The packet details and Go to frame take the whole capture's numbers too: frame 1 is not here.
    const first = Number(await other.ladder.locator('[data-frame]').first().getAttribute('data-frame'));
    expect(first).toBeLessThan(c.frame);
    await other.arrow(first).click();
    await expect(other.packetDetails).toContainText(`Frame ${first}`);
    const goto = other.page.getByTestId('goto-frame');
    await goto.fill('1');
    await goto.press('Enter');
    await expect(other.page.locator('.goto-frame-message')).toBeVisible();
    await goto.fill(String(c.frame));
    await goto.press('Enter');
    await expect(other.page.locator('.goto-frame-message')).toHaveCount(0);
    await expect(other.explanation).toHaveAttribute('data-frame', String(c.frame));
    // The sender's tcp.stream: in the list, the ladder's heading, the stream filter; the sender's times.
    const row = other.row(0);
    await expect(row.locator('[role="gridcell"], td').first()).toHaveText(String(sent.stream));
    await expect(other.page.locator('#ladder-title')).toContainText(`Connection ${sent.stream} `);
    // Times count from the whole capture's first frame, as on the sender's page (the link's start).
    await expect(await startCell(other, row)).toHaveText(sent.start);
    await expect(other.arrow(c.frame).locator('.gutter-time')).toHaveText(sent.time);
    await other.page.getByTestId('copy-filter').click();
    await expect(other.page.locator(`[data-filter="tcp.stream eq ${sent.stream}"]`)).toBeVisible();
    await other.page.getByTestId('copy-filter').click();
    await other.filterText.fill(`tcp.stream == ${sent.stream}`);
    await expect(other.list).toHaveAttribute('data-row-count', '1');
    await other.screenshot(`links-faithful-${c.frame}`);
    await other.filterText.fill(`tcp.stream == ${sent.stream + 1}`);
    await expect(other.rows).toHaveCount(0);
    await other.filterText.fill('');
    await other.page.context().close();
  });
}

test('a link made by a newer version says it cannot read the description, and shows the frames alone', async ({ page, browser }) => {
  // The link from the sender, its section comment's version changed: gzip it again in the page.
  const { link } = await copyLink(page, 42);
  const changed = await page.evaluate(async (url) => {
    const hash = new URL(url).hash.slice(1);
    const pkt = new URLSearchParams(hash).get('pkt')!;
    const bin = atob(pkt.replace(/-/g, '+').replace(/_/g, '/'));
    const gz = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    const raw = new Uint8Array(await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    // Same length: "version":1 -> "version":7 keeps every block length right.
    let text = '';
    for (const b of raw) text += String.fromCharCode(b);
    const again = Uint8Array.from(text.replace('"version":1,', '"version":7,'), (ch) => ch.charCodeAt(0));
    const gz2 = new Uint8Array(await new Response(new Blob([again]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    let s = '';
    for (const b of gz2) s += String.fromCharCode(b);
    const b64 = btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return `${url.split('#')[0]}#pkt=${b64}&c=0`;
  }, link);
  const other = await openFresh(browser, changed);
  await expect(other.page.getByTestId('shared-notice')).toHaveAttribute('data-kind', 'warning');
  await expect(other.page.getByTestId('shared-notice')).toContainText('could not be read');
  // Read alone: numbered from 1, the plain refusal the two frames show.
  await expect(other.explanation).toHaveAttribute('data-frame', '2');
  await expect(other.explanation).toHaveAttribute('data-scenario', 'refused');
  await other.page.context().close();
});

test('an older link, a gzip-compressed pcap with no description, still opens as it did', async ({ page }) => {
  // What "Copy link with this connection" wrote before: the connection's frames as a plain pcap.
  const pcap = readFileSync(join(import.meta.dirname, 'fixtures', 'refused.pcap'));
  const pkt = gzipSync(pcap).toString('base64url');
  const app = new AppPage(page);
  await app.open(`#pkt=${pkt}&c=0`);
  await app.waitForAnalysis();
  await expect(app.row(0)).toHaveAttribute('aria-selected', 'true');
  await expect(app.explanation).toHaveAttribute('data-frame', '2');
  await expect(app.explanation).toHaveAttribute('data-scenario', 'refused');
  await expect(page.getByTestId('shared-notice')).toHaveCount(0);
});
