// The wicket chooser: students and parents go to EduConnect, staff to their académie, with a signed
// SAML request; local accounts keep their form below.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./helpers');

test('the sign-in page offers the identity providers by audience, accessibly', async ({ page }) => {
  await page.goto('/login');
  const wickets = page.locator('section[aria-labelledby=wickets-title]');
  await expect(wickets.getByRole('heading', { name: 'Élève ou parent' })).toBeVisible();
  await expect(wickets.getByRole('link', { name: 'EduConnect' })).toBeVisible();
  await expect(wickets.getByRole('heading', { name: "Personnel de l'Éducation nationale" })).toBeVisible();
  await expect(wickets.getByRole('link', { name: 'Académie de Reims' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ou avec un compte Ardoise' })).toBeVisible();
  await expect(page.locator('input[name=username]')).toBeVisible();
  await expectAccessible(page, 'the sign-in page with wickets');
});

test('choosing EduConnect sends the browser to the IdP with a signed request', async ({ page }) => {
  // The IdP is not reachable from the tests: answer in its place and look at what arrives.
  let seen = null;
  await page.route('https://educonnect.e2e.test/**', async (route) => {
    seen = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<html lang="fr"><title>IdP</title><h1>IdP</h1></html>' });
  });
  await page.goto('/login');
  await page.getByRole('link', { name: 'EduConnect' }).click();
  await expect(page.locator('h1')).toHaveText('IdP');
  expect(seen.pathname).toBe('/sso');
  for (const p of ['SAMLRequest', 'RelayState', 'SigAlg', 'Signature']) {
    expect(seen.searchParams.get(p), p).toBeTruthy();
  }
  expect(seen.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
});

test('an answer no request is waiting for gets a clear page', async ({ page }) => {
  await page.goto('/login');
  // A forged post to the assertion consumer service, as an attacker's page would send it.
  await page.setContent(`<form method="post" action="${new URL('/login/sso/acs', page.url())}">
    <input name="SAMLResponse" value="PHNhbWxwOlJlc3BvbnNlLz4="><input name="RelayState" value="_inconnu">
    <button>go</button></form>`);
  await page.click('button');
  await expect(page.locator('main')).toContainText('a déjà servi ou a expiré');
});
