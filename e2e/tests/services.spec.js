// Connected services: the regional operator registers one on an accessible page, a student finds it in
// the portal, and a teacher gives a publisher their consent on an accessible screen.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test('the regional operator registers a CAS service that students then open from the portal', async ({ page, browser }) => {
  await signIn(page, 'demo.admin');
  await page.goto('/region/services');
  await expect(page.locator('main#main h1')).toHaveText('Services connectés');
  await expect(page.locator('tr[data-service=editeur]')).toContainText('fichier de configuration');
  await expectAccessible(page, 'the connected services page');

  // A mistake first: the error names the field.
  await page.fill('#name', 'Bibliothèque');
  await page.fill('#urls', 'ftp://bibliotheque.test/');
  await page.click('form[action="/region/services"] button.primary');
  await expect(page.locator('#service-error')).toContainText('urls');
  await expectAccessible(page, 'the connected services page with an error');

  await page.fill('#urls', 'https://bibliotheque.test/cas');
  await page.check('input[name=profiles][value=ELV]');
  await page.click('form[action="/region/services"] button.primary');
  await expect(page).toHaveURL(/\/region\/services$/);
  await expect(page.locator('tr[data-service=bibliotheque]')).toContainText('ELV');

  const student = await browser.newPage();
  await signIn(student, 'demo.eleve');
  const link = student.locator('a[data-service="Bibliothèque"]');
  await expect(link).toHaveAttribute('href', /^\/cas\/login\?service=https%3A/);
  await student.close();
});

test('a teacher consents to a publisher once, on an accessible screen', async ({ page }) => {
  await page.route('https://editeur.test/**', (route) => route.fulfill({ status: 200, body: 'éditeur' }));
  await signIn(page, 'demo.prof');
  const authorize = '/oidc/authorize?response_type=code&client_id=editeur&scope=openid%20email&redirect_uri=https://editeur.test/callback&state=e2e';
  await page.goto(authorize);
  await expect(page.locator('main#main h1')).toHaveText("Autoriser l'accès");
  await expect(page.locator('main#main')).toContainText('adresse électronique');
  await expectAccessible(page, 'the consent screen');
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().startsWith('https://editeur.test/callback')),
    page.click('button[value=accept]'),
  ]);
  expect(request.url()).toMatch(/code=.+&state=e2e/);
  // The second time, straight back with a code, no screen.
  const again = await page.request.get(authorize, { maxRedirects: 0 });
  expect(again.status()).toBe(303);
  expect(again.headers().location).toMatch(/^https:\/\/editeur\.test\/callback\?code=/);
});
