// Shared steps: signing in, and an axe check that fails on serious or critical violations.
const { expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const PASSWORD = 'ardoise-demo';

async function signIn(page, login, password = PASSWORD) {
  await page.goto('/login');
  await page.fill('input[name=username]', login);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
}

async function expectAccessible(page, what) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  const report = blocking
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  expect(blocking, `axe violations on ${what}:\n${report}`).toEqual([]);
}

module.exports = { signIn, expectAccessible, PASSWORD };

// Prints the letters of the `nth` class as CSV from a direction's page; returns [last, first, login, code]
// of a student letter (the last one, so that tests using different classes never share an account).
async function studentLetter(page, nth) {
  await page.goto('/etablissement/activation');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('form.inline-form').nth(nth).locator('button[value=csv]').click(),
  ]);
  const fs = require('node:fs');
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const rows = csv.trim().split('\n').slice(1).map((l) => l.split(';')).filter((f) => f[3] === '');
  const [last, first, , , login, code] = rows[rows.length - 1];
  return { last, first, login, code };
}

// Activates an account with its letter and a password, in the given page (not signed in).
async function activate(page, { login, code }, password) {
  await page.goto('/activation');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=code]', code);
  await page.click('main form button[type=submit]');
  await page.fill('input[name=password]', password);
  await page.fill('input[name=confirm]', password);
  await page.check('input[name=charter]');
  await page.click('main form button[type=submit]');
}

module.exports.studentLetter = studentLetter;
module.exports.activate = activate;
