/**
 * Printing: under print media the page shows the summary, the selected connection's whole ladder
 * and the explanation, and hides the controls; the PDF Chromium prints runs over several A4 (and
 * Letter) pages for a long ladder instead of one clipped viewport. Screenshots go to
 * e2e/screenshots/print-*.png for review.
 */
import { AppPage } from './pages/app-page.ts';
import { commandLineReport } from './oracle.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

test('printing gives the summary, the whole ladder and the explanation, without the controls', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  // The demo's longest connection with a reset: its ladder is taller than a page.
  const conn = cli.connections.filter((c) => c.resets.length > 0).sort((a, b) => b.packets - a.packets)[0]!;
  expect(conn.packets).toBeGreaterThan(30);
  const app = new AppPage(page);
  await app.open(`#c=${conn.id}`);
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  await expect(app.ladder.locator('.arrow.is-selected-reset')).toHaveCount(1);
  const onScreen = await app.ladder.locator('.arrow, .run').count();

  await page.emulateMedia({ media: 'print' });
  await expect(app.ladder).toHaveAttribute('data-printing', 'true');
  // Every row is drawn (the screen draws only those in view).
  const printed = await app.ladder.locator('.arrow, .run').count();
  expect(printed).toBeGreaterThan(onScreen);
  await expect(app.ladder.locator('.ladder-scroll')).toHaveCSS('overflow-y', 'visible');
  // What a reader needs is there; the controls are not.
  await expect(page.getByTestId('summary')).toBeVisible();
  await expect(app.explanation).toBeVisible();
  await expect(page.getByTestId('verdict')).toBeVisible();
  for (const hidden of [
    page.getByRole('button', { name: 'Try the demo' }),
    page.getByTestId('filter'),
    page.getByTestId('ladder-spacing'),
    page.getByTestId('copy-link'),
    page.getByTestId('time-format'),
    page.getByRole('button', { name: 'Zoom in' }),
    app.list,
  ]) {
    await expect(hidden).toBeHidden();
  }
  // The ladder and the explanation are not cut at the window's height.
  const ladderHeight = await app.ladder.evaluate((el) => el.getBoundingClientRect().height);
  expect(ladderHeight).toBeGreaterThan(page.viewportSize()!.height);
  await page.screenshot({ path: 'e2e/screenshots/print-page.png', fullPage: true });

  // At the width of an A4 page (210 mm less the margins, at 96 px an inch) nothing runs off the side.
  await page.setViewportSize({ width: 703, height: 1000 });
  await expect
    .poll(() => app.ladder.locator('svg.ladder-svg').evaluate((el) => el.getBoundingClientRect().right))
    .toBeLessThanOrEqual(703);
  const explanationRight = await app.explanation.evaluate((el) => el.getBoundingClientRect().right);
  expect(explanationRight).toBeLessThanOrEqual(703);
  await page.screenshot({ path: 'e2e/screenshots/print-a4.png', fullPage: true });
  await page.screenshot({ path: 'e2e/screenshots/print-a4-top.png' });

  const a4 = await page.pdf({ format: 'A4', printBackground: true });
  const letter = await page.pdf({ format: 'Letter', printBackground: true });
  expect(pdfPages(a4)).toBeGreaterThan(1);
  expect(pdfPages(letter)).toBeGreaterThan(1);

  // Back on screen: the controls return and the ladder draws rows in view again.
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('ladder-spacing')).toBeVisible();
  await expect(app.ladder).not.toHaveAttribute('data-printing', 'true');
});
