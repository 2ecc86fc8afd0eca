// Roll call and absences in a browser. A roll call opens only around its lesson, so this file runs its
// own `ardoise demo` whose clock starts on a Monday afternoon (ARDOISE_CLOCK_START): every lesson of
// that day has its roll open. A teacher takes a roll, the school-life office sees it, a parent
// justifies an absence online.
const { test, expect } = require('@playwright/test');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { signIn, expectAccessible } = require('./helpers');

const port = Number(process.env.ARDOISE_E2E_PORT || 18080) + 7;
const base = `http://127.0.0.1:${port}`;
const bin = process.env.ARDOISE_BIN || path.resolve(__dirname, '../../target/debug/ardoise');
let server;
let dir;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: base });

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ardoise-e2e-appel-'));
  server = spawn(bin, ['demo', '--listen', `127.0.0.1:${port}`, '--data', dir], {
    env: { ...process.env, ARDOISE_CLOCK_START: '2026-12-07T16:55:00+01:00', ARDOISE_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 240; i += 1) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch (_) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the roll-call demo server did not start');
});

test.afterAll(async () => {
  if (server) server.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a teacher takes the roll of a lesson in a few taps', async ({ page }) => {
  await signIn(page, 'demo.prof');
  await page.click('ul.tiles a[href="/appel"]');
  await expect(page.locator('main h1')).toHaveText('Appel du jour');
  await expectAccessible(page, "the teacher's lessons of the day");
  const todo = page.locator('ul.roll-lessons li', { hasText: 'Appel à faire' }).first();
  await todo.locator('a.button-link').click();
  await expect(page.locator('main h1')).toContainText('Appel');
  await expectAccessible(page, 'a roll-call sheet');
  const lines = page.locator('li.roll-line');
  const absent = (await lines.nth(0).locator('legend').innerText()).split(' (')[0];
  await lines.nth(0).locator('label[for^="a-"]').click();
  await lines.nth(1).locator('label[for^="l-"]').click();
  await lines.nth(1).locator('input[type=number]').fill('10');
  await page.click('button:has-text("Enregistrer l\'appel")');
  await expect(page.locator('p.notice')).toContainText('Appel enregistré');
  await expect(lines.nth(0).locator('input[value=absent]')).toBeChecked();
  await expect(lines.nth(1).locator('input[type=number]')).toHaveValue('10');
  await expectAccessible(page, 'a roll call just saved');

  await page.goto('/appel');
  await expect(page.locator('ul.roll-lessons')).toContainText('Appel fait');
  // The office sees the absent student among today's absences.
  await page.context().clearCookies();
  await signIn(page, 'demo.cpe');
  await page.click('ul.tiles a[href="/vie-scolaire"]');
  await expect(page.locator('main h1')).toHaveText('Vie scolaire');
  const [last] = absent.split(' ');
  await expect(page.locator('#h-absent + div, #h-absent ~ .table-wrap').first()).toContainText(last);
  await expectAccessible(page, 'the school-life dashboard');
});

test('a parent justifies an absence online and the office accepts it', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.click('ul.tiles a[href="/absences"]');
  await expect(page.locator('main h1')).toHaveText('Absences et retards');
  await expectAccessible(page, "a parent's absences page");
  await expect(page.locator('.absence-list')).toContainText('Non justifiée');
  await page.selectOption('#reason', { label: 'Rendez-vous médical' });
  await page.fill('#comment', 'Rendez-vous chez le dentiste.');
  await page.setInputFiles('#document', {
    name: 'convocation.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 dentiste'),
  });
  await page.click('button:has-text("Envoyer la justification")');
  await expect(page.locator('p.notice')).toContainText('Justification envoyée');
  await expect(page.locator('.absence-list')).toContainText('Justificatif envoyé, en attente');

  await page.context().clearCookies();
  await signIn(page, 'demo.cpe');
  await page.goto('/vie-scolaire');
  await page.locator('#h-pending ~ ul a').first().click();
  await expect(page.locator('main')).toContainText('Rendez-vous chez le dentiste.');
  await expectAccessible(page, 'an absence file to decide');
  await page.click('button:has-text("Accepter le justificatif")');
  await expect(page.locator('main h1')).toContainText('Assiduité');
  await expectAccessible(page, "a student's attendance file");
});
