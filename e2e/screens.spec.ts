import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`screenshots (${scheme})`, () => {
    test.use({ colorScheme: scheme });

    test('welcome, demo analysis, explanation', async ({ page }) => {
      const app = new AppPage(page);
      await app.open();
      await app.screenshot(`${scheme}-1-welcome`);
      await app.demoButton.click();
      await app.waitForAnalysis();
      await expect(app.rows.first()).toBeVisible();
      await app.screenshot(`${scheme}-2-demo-loaded`);
      await app.rows.first().click();
      await expect(app.ladder).toBeVisible();
      await app.screenshot(`${scheme}-3-connection-selected`);
    });
  });
}
