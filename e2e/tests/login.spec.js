// The sign-in page: accessible, clear errors, redirect when signed out, English on request.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test('the home page without a session leads to an accessible sign-in page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('input[name=username]')).toHaveAttribute('autocomplete', 'username');
  await expect(page.locator('input[name=password]')).toHaveAttribute('autocomplete', 'current-password');
  await expect(page.locator('input[name=csrf_token]')).toHaveCount(1);
  await expectAccessible(page, 'the sign-in page');
});

test('a wrong password is explained and keeps the visitor on the sign-in page', async ({ page }) => {
  await signIn(page, 'demo.eleve', 'pas-le-bon');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('[role=alert]')).toContainText('Identifiant ou mot de passe incorrect');
  await expect(page.locator('input[name=username]')).toHaveValue('demo.eleve');
  await expectAccessible(page, 'the sign-in page with an error');
});

test('the footer switches the sign-in page to English', async ({ page }) => {
  await page.goto('/login');
  await page.click('footer a[hreflang=en]');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('form button[type=submit]')).toHaveText('Sign in');
  await expectAccessible(page, 'the English sign-in page');
});
