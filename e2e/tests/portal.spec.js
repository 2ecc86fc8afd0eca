// Every demo profile signs in, lands on an accessible portal with its services, and signs out.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

const ACCOUNTS = [
  ['demo.eleve', 'Élève'],
  ['demo.parent', 'Parent'],
  ['demo.prof', 'Enseignant'],
  ['demo.cpe', 'Vie scolaire'],
  ['demo.direction', 'Direction'],
  ['demo.admin', 'Administration régionale'],
];

for (const [login, profile] of ACCOUNTS) {
  test(`${login} signs in, sees the portal and signs out`, async ({ page }) => {
    await signIn(page, login);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('main#main h1')).toContainText('Bonjour');
    await expect(page.locator('header .who .name')).toBeVisible();
    await expect(page.locator('header .who')).toContainText(profile);
    expect(await page.locator('ul.tiles a').count()).toBeGreaterThan(0);
    await expect(page.locator('a.skip-link[href="#main"]')).toHaveCount(1);
    await expectAccessible(page, `the portal of ${login}`);

    await page.click('ul.tiles a[href="/annuaire"]');
    await expect(page.locator('main#main h1')).toHaveText('Mon annuaire');
    await expectAccessible(page, `the directory of ${login}`);

    await page.click('form[action="/logout"] button');
    await expect(page).toHaveURL(/\/login\?bye=1$/);
    await expect(page.locator('[role=status]')).toContainText('déconnecté');
  });
}

test('a parent sees their two children in the directory', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.goto('/annuaire');
  await expect(page.locator('ul.children > li')).toHaveCount(2);
});

test('a teacher who is also a parent switches profile from the banner', async ({ page }) => {
  await signIn(page, 'demo.prof');
  const select = page.locator('#context-switch');
  const parent = select.locator('option', { hasText: 'Parent' });
  await select.selectOption(await parent.getAttribute('value'));
  await page.click('form[action="/contexte"] button');
  await expect(page.locator('header .who')).toContainText('Parent');
  await expectAccessible(page, 'the portal after switching profile');
});
