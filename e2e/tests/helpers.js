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
