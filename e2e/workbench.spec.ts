/**
 * The analyst's workbench: a filter typed as in Wireshark, copy as Wireshark filter, go to frame,
 * and the exports, each checked against the command line on the same capture.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { ReportDocument as Report } from '../src/core/model/types.ts';
import { AppPage } from './pages/app-page.ts';
import { commandLineReport } from './oracle.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';

/** The command line's output for the capture with these arguments. */
function commandLine(path: string, ...args: string[]): string {
  return execFileSync('node_modules/.bin/tsx', ['src/cli/main.ts', path, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** The connection ids the command line keeps with --filter (the first CSV column). */
function idsMatching(path: string, filter: string): number[] {
  return commandLine(path, '--format', 'csv', '--filter', filter)
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => Number(line.split(',')[0]));
}

const openDemo = (page: Page): Promise<AppPage> => AppPage.withCapture(page, DEMO);

async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test('a typed filter keeps the connections the command line keeps; a bad one is pointed at', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  const app = await openDemo(page);
  const filter = page.getByTestId('filter');
  await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));

  const expr = 'ip.addr == 10.99.0.0/16 && tcp.flags.reset == 1 && !(rst.scenario == port-scan)';
  const want = idsMatching(DEMO, expr);
  expect(want.length).toBeGreaterThan(3);
  expect(want.length).toBeLessThan(20);
  await filter.fill(expr);
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');
  await expect(app.list).toHaveAttribute('data-row-count', String(want.length));
  await app.scrollListToTop();
  expect([...(await app.shownConnectionIds())].sort((a, b) => a - b)).toEqual(want);

  // Wireshark's words work too, and the ports are whole numbers (80 is not 8000).
  await filter.fill('tcp.dstport eq 80 or tcp.srcport eq 80');
  await expect(app.list).toHaveAttribute('data-row-count', String(idsMatching(DEMO, 'tcp.port == 80').length));

  // A mistake: marked, explained where it is, and the list is left as it was.
  await filter.fill('tcp.port == http');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('filter-error')).toContainText('"http" is not a port number');
  await expect(page.getByTestId('filter-error').locator('mark')).toHaveText('http');
  await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));

  // What people type for an expression: a scenario id, a CIDR block, "port N".
  await filter.fill('fast-close');
  await expect(page.getByTestId('filter-shorthand')).toHaveText('as rst.scenario == fast-close');
  await expect(app.list).toHaveAttribute('data-row-count', String(idsMatching(DEMO, 'rst.scenario == fast-close').length));
  await filter.fill('10.99.2.0/24');
  await expect(app.list).toHaveAttribute('data-row-count', String(idsMatching(DEMO, 'ip.addr == 10.99.2.0/24').length));
  await filter.fill('port 7000');
  const port7000 = idsMatching(DEMO, 'tcp.port == 7000').length;
  expect(port7000).toBeGreaterThan(0);
  await expect(app.list).toHaveAttribute('data-row-count', String(port7000));

  // Plain words still search addresses and ports.
  await filter.fill('10.99.');
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');
  await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));
});

test('the filter box completes field names and scenario ids', async ({ page }) => {
  await openDemo(page);
  const filter = page.getByTestId('filter');
  await filter.fill('');
  await filter.pressSequentially('rst.sc');
  const completions = page.getByTestId('filter-completions');
  await expect(completions.getByRole('option')).toHaveText([/^rst\.scenario/]);
  await page.keyboard.press('Tab');
  await expect(filter).toHaveValue('rst.scenario');
  await filter.pressSequentially(' == fast');
  await expect(completions.getByRole('option').first()).toContainText('fast-close');
  await page.keyboard.press('Enter');
  await expect(filter).toHaveValue('rst.scenario == fast-close');
  await expect(page.getByTestId('connection-list')).toHaveAttribute('data-row-count', String(idsMatching(DEMO, 'rst.scenario == fast-close').length));
});

test('each export downloads what the command line writes', async ({ page }) => {
  const app = await openDemo(page);
  const expr = 'rst.severity == problem';
  await page.getByTestId('filter').fill(expr);
  const want = idsMatching(DEMO, expr);
  await expect(app.list).toHaveAttribute('data-row-count', String(want.length));

  const csv = await download(page, 'export-csv');
  expect(csv.name).toBe('demo-connections.csv');
  const lines = csv.text.split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^stream,client,client_port,server,server_port,/);
  // The rows the list shows, in its order (connections with resets first, then by id).
  expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(want);
  expect(lines.slice(1).join('\r\n')).toBe(
    commandLine(DEMO, '--format', 'csv', '--filter', expr)
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .join('\r\n'),
  );

  const json = await download(page, 'export-json');
  expect(json.name).toBe('demo-report.json');
  expect(json.text).toBe(commandLine(DEMO, '--json'));
  expect((JSON.parse(json.text) as Report).connections).toHaveLength(commandLineReport(DEMO).connections.length);

  const md = await download(page, 'export-markdown');
  expect(md.name).toBe('demo-report.md');
  expect(md.text).toMatch(/^# Resets in demo\.pcap\n/);
  expect(md.text).toContain(`- **Filter:** \`${expr}\``);
  expect(md.text).toContain('## Verdict');
  const cli = commandLineReport(DEMO);
  for (const id of want) {
    for (const r of cli.connections[id]!.resets) {
      expect(md.text).toContain(`#### Frame ${r.frame}: \`${r.scenario}\` (${r.severity}, confidence ${Math.round(r.confidence * 100)}%)`);
    }
  }
});

test('go to frame opens the connection of that frame, by Ctrl+G and by the URL', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  const conn = cli.connections.find((c) => c.resets.length > 0 && c.packets > 3)!;
  const frame = conn.resets[0]!.frame;
  const app = await openDemo(page);
  await page.keyboard.press('Control+g');
  await expect(page.getByTestId('goto-frame')).toBeFocused();
  await page.keyboard.type(String(frame));
  await page.keyboard.press('Enter');
  await expect(app.row(conn.id)).toHaveAttribute('aria-selected', 'true');
  await expect(app.arrow(frame)).toHaveAttribute('data-highlighted', 'true');
  await expect(page).toHaveURL(new RegExp(`[#&]c=${conn.id}(&|$)`));

  await page.getByTestId('goto-frame').fill('999999');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('goto-frame')).toHaveAttribute('aria-invalid', 'true');

  // The URL: a fragment with only a frame number opens that frame's connection once the file is in.
  const other = cli.connections.find((c) => c.id !== conn.id && c.packets > 3)!;
  const fresh = new AppPage(await page.context().newPage());
  await fresh.open(`#f=${other.firstFrame + 1}`);
  await fresh.dropFile(DEMO);
  await fresh.waitForAnalysis();
  await expect(fresh.row(other.id)).toHaveAttribute('aria-selected', 'true');
  await expect(fresh.arrow(other.firstFrame + 1)).toHaveAttribute('data-highlighted', 'true');
});

test('copy as Wireshark filter gives the stream, the addresses and ports, and the reset frame', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const cli = commandLineReport(DEMO);
  const conn = cli.connections.find((c) => c.resets.length > 0)!;
  const app = await openDemo(page);
  await app.row(conn.id).click();
  await page.getByTestId('copy-filter').click();
  const items = page.getByTestId('copy-filter-menu').locator('[data-filter]');
  const ip = conn.client.ip.includes(':') ? 'ipv6' : 'ip';
  await expect(items).toHaveCount(3);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-filter')))).toEqual([
    `tcp.stream eq ${conn.id}`,
    `${ip}.addr == ${conn.client.ip} && tcp.port == ${conn.client.port} && ${ip}.addr == ${conn.server.ip} && tcp.port == ${conn.server.port}`,
    `frame.number == ${conn.resets[0]!.frame}`,
  ]);
  await items.first().click();
  await expect(items.first()).toContainText('copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`tcp.stream eq ${conn.id}`);
  // The same filter in our box keeps exactly that connection.
  await page.getByTestId('filter').fill(`tcp.stream eq ${conn.id}`);
  await expect(app.list).toHaveAttribute('data-row-count', '1');
});

test('a filter typed key by key ends on the rows of the last key, and the box shows every key at once', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  const app = await openDemo(page);
  const filter = page.getByTestId('filter');
  const expr = 'ip.addr == 10.99.0.0/16 && tcp.flags.reset == 1 && rst.scenario != port-scan';
  const want = idsMatching(DEMO, expr);
  expect(want.length).toBeGreaterThan(3);
  expect(want.length).toBeLessThan(20); // all drawn at once
  // Without a pause between keys: the list's rows are worked out off the page, the newest query wins.
  await filter.pressSequentially(expr);
  await expect(filter).toHaveValue(expr);
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');
  await expect(app.list).toHaveAttribute('data-row-count', String(want.length));
  await expect(page.getByTestId('connection-count')).toHaveText(`${want.length} of ${cli.connections.length}`);
  await app.scrollListToTop();
  expect([...(await app.shownConnectionIds())].sort((a, b) => a - b)).toEqual(want);
  await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('q')).toBe(expr);
  // Sorted in the worker too: by packets, descending, ties in connection order.
  const packets = page.locator('[data-sort-key="packets"]');
  await packets.click();
  await packets.click();
  await expect(page.locator('th[aria-sort="descending"]')).toHaveCount(1);
  const byPackets = cli.connections
    .filter((c) => want.includes(c.id))
    .sort((a, b) => b.packets - a.packets || a.id - b.id)
    .map((c) => c.id);
  await app.scrollListToTop();
  await expect.poll(() => app.shownConnectionIds()).toEqual(byPackets);
  // Back a few keys: an invalid expression leaves every connection listed.
  await filter.press('End');
  for (let i = 0; i < 'port-scan'.length; i++) await filter.press('Backspace');
  await expect(filter).toHaveValue('ip.addr == 10.99.0.0/16 && tcp.flags.reset == 1 && rst.scenario != ');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));
});
