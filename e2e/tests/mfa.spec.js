// Turning on the second factor from the account page, then signing in with a TOTP code.
const crypto = require('node:crypto');
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible, studentLetter, activate } = require('./helpers');

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/\s+/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, offsetSteps = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + offsetSteps;
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(step));
  const digest = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const bin = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(bin).padStart(6, '0');
}

test('a student turns on two-factor authentication and signs in with a code', async ({ page, browser }) => {
  // An account of its own (activated here), so the other tests' demo accounts stay without a second factor.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, 'demo.direction');
  const letter = await studentLetter(admin, 2);
  const password = 'Trois chats sur le muret';
  await activate(page, letter, password);
  await expect(page).toHaveURL(/\/$/);
  await page.click('ul.tiles a[href="/compte"]');
  await page.click('a[href="/compte/mfa"]');
  await expect(page.locator('main h1')).toHaveText('Double authentification');
  await expect(page.locator('.qr svg')).toBeVisible();
  await expectAccessible(page, 'the enrolment page');
  const secret = (await page.locator('#secret').textContent()).trim();
  await page.fill('input[name=code]', totp(secret));
  await page.click('main form button[type=submit]');
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  await expectAccessible(page, 'the recovery codes page');

  await page.goto('/');
  await page.click('form[action="/logout"] button');
  // The sign-out lands on the sign-in page first; a new navigation before then would interrupt it.
  await expect(page).toHaveURL(/\/login\?bye=1$/);
  await signIn(page, letter.login, password);
  await expect(page).toHaveURL(/\/login\/mfa$/);
  await expectAccessible(page, 'the code step of sign-in');
  await page.fill('input[name=code]', '000000');
  await page.click('main form button[type=submit]');
  await expect(page.locator('[role=alert]')).toContainText('pas valide');
  // The enrolment used this step's code; the next step's is accepted (one step of drift).
  await page.fill('input[name=code]', totp(secret, 1));
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('main h1')).toContainText('Bonjour');
});
