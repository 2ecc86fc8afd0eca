// News in a browser: the direction publishes an item for parents with an illustration, a parent reads
// it from the portal; the pages pass axe. The agenda's month is checked on the way.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const title = `Kermesse du collège ${Date.now()}`;

test.describe.configure({ mode: 'serial' });

test('the direction publishes a news item with an illustration', async ({ page }) => {
  await signIn(page, 'demo.direction');
  await page.click('ul.tiles a[href="/actualites"]');
  await expect(page.locator('main h1')).toHaveText('Actualités');
  await expectAccessible(page, 'the news of the direction');
  await page.click('a:has-text("Rédiger une actualité")');
  await expectAccessible(page, 'the news form');
  await page.fill('#n-title', title);
  await page.fill('#n-body', 'Samedi de 10 h à 17 h dans la cour.\n\nVenez nombreux !');
  await page.check('#n-public-parents');
  await page.setInputFiles('#n-illustration', { name: 'kermesse.png', mimeType: 'image/png', buffer: PNG });
  // Without its alternative text, the illustration is refused and the form says which field.
  await page.click('button[value=publier]');
  await expect(page.locator('p.alert')).toContainText("Texte alternatif de l'illustration");
  await expectAccessible(page, 'the news form with an error');
  await page.setInputFiles('#n-illustration', { name: 'kermesse.png', mimeType: 'image/png', buffer: PNG });
  await page.fill('#n-alt', 'Des stands dans la cour du collège');
  await page.click('button[value=publier]');
  await expect(page.locator('main h1')).toHaveText(title);
  await expect(page.locator('p.notice').first()).toContainText('publiée');
  await expectAccessible(page, 'a news item just published');
});

test('a parent reads it, with its illustration', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.click('ul.tiles a[href="/actualites"]');
  await expectAccessible(page, "a parent's news");
  await page.click(`a:has-text("${title}")`);
  await expect(page.locator('main h1')).toHaveText(title);
  await expect(page.locator('.news-body')).toContainText('Venez nombreux');
  const img = page.locator('.news-illustration img');
  await expect(img).toHaveAttribute('alt', 'Des stands dans la cour du collège');
  expect(await img.evaluate((i) => i.naturalWidth)).toBe(1);
  await expectAccessible(page, 'a news item read by a parent');
  await page.goto('/agenda');
  await expect(page.locator('main h1')).toHaveText('Agenda');
  await expectAccessible(page, "a parent's agenda");
});
