import { expect, test } from './test.ts';

test('the built app loads in Chromium', async ({ page }) => {
  await page.goto('./');
  await expect(page).toHaveTitle('Resetscope');
});
