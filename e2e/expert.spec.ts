/**
 * Expert info, endpoints and the RTT column, used as a person would: drop the demo capture, list its
 * retransmissions and open one in the ladder, find the host that sent the most resets and list its
 * connections, sort the list by round trip. The figures are the command line's and the core's on the
 * same file, read in this process.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { analyze } from '../src/core/analyze.ts';
import { bytesSource } from '../src/core/capture/source.ts';
import { tableExpertContext } from '../src/core/expert/context.ts';
import { collectExpertItems, expertCounts } from '../src/core/expert/expert.ts';
import { handshakeRtt } from '../src/core/filter/table-source.ts';
import { endpointTable, selectEndpointRows, tableEndpointSource } from '../src/core/stats/endpoints.ts';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';

/** The command line's CSV rows (stream id and the named columns). */
function csvRows(filter?: string): Record<string, string>[] {
  const args = ['src/cli/main.ts', DEMO, '--format', 'csv', ...(filter ? ['--filter', filter] : [])];
  const [head, ...lines] = execFileSync('node_modules/.bin/tsx', args, { encoding: 'utf8' }).split('\r\n').filter(Boolean);
  const names = head!.split(',');
  // The demo's addresses and ids hold no comma or quote: a plain split reads its rows.
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}

async function demoAnalysis() {
  return analyze(bytesSource('demo.pcap', new Uint8Array(readFileSync(DEMO))));
}

test('the expert list counts by kind, filters by kind, and opens a frame in the ladder', async ({ page }) => {
  const result = await demoAnalysis();
  const items = collectExpertItems(result.packets, result.connStart, tableExpertContext(result.connections));
  const counts = expertCounts(items);
  const retransmissions = counts.find((c) => c.kind === 'retransmission')?.count ?? 0;
  expect(retransmissions).toBeGreaterThan(10);

  const app = new AppPage(page);
  await app.open();
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  await page.getByRole('tab', { name: 'Expert info' }).click();
  const expert = page.getByTestId('expert-list');
  await expect(expert).toBeVisible();

  // The groups: every kind with its count, most severe first.
  const groups = expert.locator('button[data-kind]');
  await expect(groups).toHaveCount(counts.length);
  expect(await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(counts.map((c) => c.kind));
  await expect(expert.locator('button[data-kind="retransmission"]')).toContainText(String(retransmissions));

  // Filter by a kind: only its items, in frame order, all of them across pages.
  await expert.locator('button[data-kind="retransmission"]').click();
  await expect(expert).toHaveAttribute('data-kind', 'retransmission');
  await expect(expert).toHaveAttribute('data-total', String(retransmissions));
  const shown = expert.getByTestId('expert-item');
  await expect(shown).toHaveCount(Math.min(100, retransmissions));
  expect(new Set(await shown.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))).toEqual(new Set(['retransmission']));
  const frames = (await shown.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))))) as number[];
  expect(frames).toEqual([...frames].sort((a, b) => a - b));
  await app.screenshot('expert-list');

  // Click an item (the last shown: not the connection opened at first): its connection opens with the frame shown.
  const item = shown.last();
  const frame = Number(await item.getAttribute('data-frame'));
  const connection = Number(await item.getAttribute('data-connection-id'));
  await item.getByRole('button').click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Connection ${connection}\\b`) })).toBeVisible();
  await expect(app.arrow(frame)).toHaveAttribute('data-highlighted', 'true');
  // The same with the keyboard: Enter on another item's button.
  const other = shown.first();
  const otherFrame = Number(await other.getAttribute('data-frame'));
  await other.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(app.arrow(otherFrame)).toHaveAttribute('data-highlighted', 'true');

  // The connection's own list, under its explanation, names the kind and links the frame.
  const own = page.getByTestId('connection-expert');
  await expect(own.locator('[data-kind="retransmission"]')).toBeVisible();
  await expect(own.locator(`[data-frame-link="${otherFrame}"]`)).toBeVisible();
  await app.screenshot('expert-item-in-ladder');
});

test('the endpoints table sorts, and a host lists its connections', async ({ page }) => {
  const result = await demoAnalysis();
  const table = endpointTable(tableEndpointSource(result.connections));
  const host = table.addresses[selectEndpointRows(table, '', 'resetsSent', true)[0]!]!;
  expect(table.resetsSent[table.addresses.indexOf(host)]).toBeGreaterThan(0);

  const app = new AppPage(page);
  await app.open();
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  await page.getByRole('tab', { name: 'Endpoints' }).click();
  const endpoints = page.getByTestId('endpoints');
  await expect(endpoints).toHaveAttribute('data-row-count', String(table.count));

  const header = endpoints.locator('th').filter({ has: page.locator('[data-sort-key="resetsSent"]') });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(endpoints.getByTestId('endpoint-row').first()).toHaveAttribute('data-host', host);
  await app.screenshot('endpoints');

  // The text box narrows the hosts.
  await endpoints.getByRole('searchbox').fill(host);
  await expect(endpoints.getByTestId('endpoint-row').first()).toHaveAttribute('data-host', host);
  await endpoints.getByRole('searchbox').fill('');

  // A host's address: the connection list, filtered to it as the command line filters it.
  await endpoints.getByRole('button', { name: host, exact: true }).click();
  await expect(app.filterText).toHaveValue(`ip.addr == ${host}`);
  await expect(app.list).toBeVisible();
  await expect(app.list).toHaveAttribute('data-row-count', String(csvRows(`ip.addr == ${host}`).length));
});

test('the connection list sorts by handshake round trip, without a handshake last', async ({ page }) => {
  // The command line's CSV has the round trip of as many connections (to the µs) ...
  const rows = csvRows();
  const withRtt = rows.filter((r) => r.rtt_s !== '');
  expect(withRtt.length).toBeGreaterThan(10);
  // ... and the analysis, in full precision, gives the order.
  const table = (await demoAnalysis()).connections;
  const ids = Array.from({ length: table.length }, (_, id) => id);
  expect(ids.filter((id) => handshakeRtt(table, id) !== null).length).toBe(withRtt.length);
  const rtt = (id: number) => handshakeRtt(table, id) ?? Infinity;
  const ascending = ids.sort((a, b) => rtt(a) - rtt(b) || a - b);

  const app = new AppPage(page);
  await app.open();
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  const header = app.list.locator('th').filter({ has: page.locator('[data-sort-key="rtt"]') });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await app.scrollListToTop();
  const shown = await app.shownConnectionIds();
  expect(shown.slice(0, 10)).toEqual(ascending.slice(0, 10));
  // The cell reads as a time, in µs or ms on a lab network.
  await expect(app.row(ascending[0]!).locator('td').nth(13)).toHaveText(/^\d+(\.\d+)? (µs|ms)$/);
  await app.screenshot('rtt-column');
});
