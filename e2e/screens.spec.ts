import type { Page } from '@playwright/test';
import { AppPage } from './pages/app-page.ts';
import { commandLineReport } from './oracle.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';

/** The first connection whose first reset has this scenario in the command line's report. */
function connectionWith(scenario: string) {
  const conn = commandLineReport(DEMO).connections.find((c) => c.resets[0]?.scenario === scenario);
  if (!conn) throw new Error(`demo.pcap has no ${scenario} reset`);
  return conn;
}

/** Toasts of other layers (the offline notice) would cover the panels in a screenshot. */
async function dismissToasts(page: Page): Promise<void> {
  const ok = page.getByRole('button', { name: 'OK', exact: true });
  if (await ok.isVisible()) await ok.click();
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`screenshots (${scheme})`, () => {
    test.use({ colorScheme: scheme });

    test('the main states of the app', async ({ page }) => {
      const app = new AppPage(page);
      await app.open();
      await app.screenshot(`${scheme}-1-welcome`);

      await app.demoButton.click();
      await app.waitForAnalysis();
      await expect(app.explanation).toHaveAttribute('data-scenario', /.+/);
      await dismissToasts(page);
      await app.screenshot(`${scheme}-2-demo-loaded`);

      // A long connection: folded runs, many resets, evidence highlighted.
      const long = connectionWith('rst-not-received');
      await app.filterText.fill(`${long.client.ip}:${long.client.port}`);
      await app.row(long.id).click();
      const evidence = app.explanation.getByTestId('evidence').locator('[data-frame-link]');
      await evidence.first().click();
      await expect(app.ladder.locator('[data-highlighted="true"]')).toBeVisible();
      await app.screenshot(`${scheme}-3-long-connection`);

      // Retransmissions marked on the arrows, then the give-up.
      await app.filterText.fill('');
      const rto = connectionWith('retransmission-timeout');
      await app.filterScenario.selectOption('retransmission-timeout');
      await app.row(rto.id).click();
      await expect(app.arrow(rto.resets[0]!.frame)).toBeVisible();
      await app.screenshot(`${scheme}-3b-retransmissions`);
      await app.filterScenario.selectOption('');

      // A mid-conversation abort, with one packet's decoded headers.
      await app.filterText.fill('');
      const abort = connectionWith('abort');
      await app.filterScenario.selectOption('abort');
      await app.row(abort.id).click();
      await app.arrow(abort.resets[0]!.frame).focus();
      await page.keyboard.press('Enter');
      await expect(app.packetDetails).toContainText('Transmission Control Protocol');
      await app.screenshot(`${scheme}-4-abort-packet-details`);

      await app.open();
      await app.dropFile('e2e/fixtures/not-a-capture.txt');
      await app.waitForAnalysis('error');
      await app.screenshot(`${scheme}-5-error`);
    });
  });
}
