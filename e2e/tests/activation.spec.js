// A head of school prints activation letters; a student activates with the code and lands on the portal.
const fs = require('node:fs');
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test('activation letters, then a first sign-in with the code', async ({ page: admin, browser }) => {
  await signIn(admin, 'demo.direction');
  await admin.click('ul.tiles a[href="/etablissement/activation"]');
  await expect(admin.locator('main h1')).toHaveText('Activation des comptes');
  await expectAccessible(admin, 'the activation letters page');
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.locator('form.inline-form').nth(1).locator('button[value=csv]').click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const [, ...lines] = csv.trim().split('\n');
  const student = lines.map((l) => l.split(';')).find((f) => f[3] === '');
  expect(student, 'a student letter in the CSV').toBeTruthy();
  const [last, first, , , login, code] = student;

  await admin.goto('/etablissement/journal');
  await expect(admin.locator('main table')).toContainText('Codes d\'activation créés');
  await expectAccessible(admin, 'the journal');

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.click('a[href="/activation"]');
  await expectAccessible(page, 'the activation page');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=code]', code);
  await page.click('form button[type=submit]');
  await expect(page.locator('main')).toContainText(`Bienvenue ${first} ${last}`);
  await page.fill('input[name=password]', 'court');
  await page.fill('input[name=confirm]', 'court');
  await page.check('input[name=charter]');
  await page.click('form button[type=submit]');
  await expect(page.locator('[role=alert]')).toContainText('au moins 10 caractères');
  await expectAccessible(page, 'the activation form with an error');
  await page.fill('input[name=password]', 'Un hibou sur le toit du gymnase');
  await page.fill('input[name=confirm]', 'Un hibou sur le toit du gymnase');
  await page.check('input[name=charter]');
  await page.click('form button[type=submit]');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('main h1')).toContainText(`Bonjour ${first}`);
  await context.close();
});
