import { AppPage } from './pages/app-page.ts';
import { commandLineReport, firstReset } from './oracle.ts';
import { expect, test } from './test.ts';

const FAST_CLOSE = 'e2e/fixtures/fast-close.pcap';
const PORT_SCAN = 'e2e/fixtures/port-scan.pcap';
const DEMO = 'public/demo/demo.pcap';

test.describe('a dropped capture', () => {
  test('shows what the command line reports, down to the reset and its evidence', async ({ page }) => {
    const cli = commandLineReport(FAST_CLOSE);
    const { conn, reset } = firstReset(cli);
    const app = new AppPage(page);
    await app.open();
    await app.dropFile(FAST_CLOSE);
    await app.waitForAnalysis();

    await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));
    await expect(page.getByTestId('summary-connections')).toHaveText(String(cli.connections.length));
    await expect(page.getByTestId('file-name')).toHaveText('fast-close.pcap');

    await app.row(conn.id).click();
    await expect(app.row(conn.id)).toHaveAttribute('aria-selected', 'true');
    const rstArrow = app.arrow(reset.frame);
    await expect(rstArrow).toBeVisible();
    await expect(rstArrow).toHaveAttribute('data-rst', 'true');
    await expect(rstArrow).toHaveAccessibleName(/\[RST/);

    await expect(app.explanation).toHaveAttribute('data-scenario', reset.scenario);
    await expect(app.explanation).toHaveAttribute('data-frame', String(reset.frame));
    await expect(app.explanation.getByRole('heading', { level: 2 })).toBeVisible();

    // Every evidence frame link highlights its arrow in the ladder.
    const cited = reset.evidence.map((e) => e.frame).filter((f): f is number => f !== undefined && f !== reset.frame);
    const frame = cited[0] ?? reset.frame;
    await app.explanation.getByTestId('evidence').locator(`[data-frame-link="${frame}"]`).first().click();
    await expect(app.arrow(frame)).toHaveAttribute('data-highlighted', 'true');
    await expect(app.arrow(frame)).toBeInViewport();

    // An arrow is a button (mouse or keyboard) that shows that packet's decoded headers.
    await app.arrow(reset.frame).focus();
    await page.keyboard.press('Enter');
    await expect(app.packetDetails).toHaveAttribute('data-frame', String(reset.frame));
    await expect(app.packetDetails).toContainText('Transmission Control Protocol');
  });

  test('filters, sorts and moves with the keyboard', async ({ page }) => {
    const cli = commandLineReport(PORT_SCAN);
    const app = new AppPage(page);
    await app.open();
    await app.dropFile(PORT_SCAN);
    await app.waitForAnalysis();
    await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));

    // Text filter: one server port picks one connection.
    const target = cli.connections[7]!;
    await app.filterText.fill(`:${target.server.port}`);
    await expect(app.list).toHaveAttribute('data-row-count', '1');
    expect(await app.shownConnectionIds()).toEqual([target.id]);
    await app.filterText.fill('');
    await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));

    // Scenario filter: only the connections with a reset of that scenario.
    const scenario = target.resets[0]?.scenario;
    if (scenario) {
      const expected = cli.connections.filter((c) => c.resets.some((r) => r.scenario === scenario)).length;
      await app.filterScenario.selectOption(scenario);
      await expect(app.list).toHaveAttribute('data-row-count', String(expected));
      await app.filterScenario.selectOption('');
    }

    // Sort by server descending: the highest port comes first.
    const before = await app.shownConnectionIds();
    const serverHeader = page.locator('[data-sort-key="server"]');
    await serverHeader.click();
    await serverHeader.click();
    await expect(page.locator('th[aria-sort="descending"]')).toHaveCount(1);
    await app.scrollListToTop();
    const highest = [...cli.connections].sort((a, b) => b.server.port - a.server.port)[0]!;
    await expect(app.rows.first()).toHaveAttribute('data-connection-id', String(highest.id));
    expect(await app.shownConnectionIds()).not.toEqual(before);

    // Keyboard: j/ArrowDown move down, k/ArrowUp move up, Enter opens the explanation.
    const order = await app.shownConnectionIds();
    await app.rows.first().click();
    await expect(app.row(order[0]!)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('j');
    await expect(app.row(order[1]!)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(app.row(order[2]!)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('k');
    await expect(app.row(order[1]!)).toHaveAttribute('aria-selected', 'true');
    await expect(app.ladder).toHaveAttribute('data-connection-id', String(order[1]));
    await page.keyboard.press('Enter');
    await expect(app.explanation).toBeFocused();
  });
});

test('the demo button loads the demo capture', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  const app = new AppPage(page);
  await app.open();
  await app.demoButton.click();
  await app.waitForAnalysis();
  await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));
  await expect(page.getByTestId('summary-resets')).toHaveText(cli.summary.resets.toLocaleString('en-US'));
  // Connections with resets come first.
  const { conn } = firstReset(cli);
  await expect(app.rows.first()).toHaveAttribute('data-connection-id', String(conn.id));
});

test('the overview and the finding chips filter the list', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  const app = new AppPage(page);
  await app.open();
  await app.demoButton.click();
  await app.waitForAnalysis();

  // A scenario's bar in the overview keeps the connections with a reset of that scenario.
  const scenario = 'abort';
  const withScenario = cli.connections.filter((c) => c.resets.some((r) => r.scenario === scenario)).length;
  const bar = page.locator(`.scenario-bars [data-scenario="${scenario}"]`);
  await bar.click();
  await expect(bar).toHaveAttribute('aria-pressed', 'true');
  await expect(app.list).toHaveAttribute('data-row-count', String(withScenario));
  await bar.click();
  await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));

  // A host finding chip keeps the connections whose resets belong to it.
  const finding = cli.findings[0];
  if (finding) {
    const members = cli.connections.filter((c) => c.resets.some((r) => r.findings.includes(finding.id))).length;
    await page.getByRole('group', { name: 'Host findings' }).getByRole('button').first().click();
    await expect(app.list).toHaveAttribute('data-row-count', String(members));
  }
});

test('a second file replaces the first cleanly', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(PORT_SCAN);
  await app.waitForAnalysis();
  await app.dropFile(FAST_CLOSE);
  await app.waitForAnalysis();
  await expect(page.getByTestId('file-name')).toHaveText('fast-close.pcap');
  await expect(app.list).toHaveAttribute('data-row-count', String(commandLineReport(FAST_CLOSE).connections.length));
  const { reset } = firstReset(commandLineReport(FAST_CLOSE));
  await expect(app.explanation).toHaveAttribute('data-frame', String(reset.frame));
});

test('#demo opens the app with the demo loaded (npm start)', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('#demo');
  await app.waitForAnalysis();
  await expect(page.getByTestId('file-name')).toHaveText('demo.pcap');
});

test.describe('files that are not captures', () => {
  test('a text file gives a clear message and the page stays usable', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await app.dropFile('e2e/fixtures/not-a-capture.txt');
    await app.waitForAnalysis('error');
    await expect(app.error).toBeVisible();
    await expect(app.error).toContainText('not-a-capture.txt');
    await expect(app.error).toContainText(/pcap/);

    await app.demoButton.click();
    await app.waitForAnalysis();
    await expect(app.error).toBeHidden();
    await expect(app.rows.first()).toBeVisible();
  });

  test('a zero-byte file says it is empty', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await page.dispatchEvent('body', 'drop', {
      dataTransfer: await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File([], 'empty.pcap'));
        return dt;
      }),
    });
    await app.waitForAnalysis('error');
    await expect(app.error).toContainText('empty (0 bytes)');
  });

  test('the Open capture button is a real file input', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await app.fileInput.setInputFiles(FAST_CLOSE);
    await app.waitForAnalysis();
    await expect(app.list).toHaveAttribute('data-row-count', String(commandLineReport(FAST_CLOSE).connections.length));
  });
});
