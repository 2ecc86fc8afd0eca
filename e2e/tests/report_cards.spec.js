// Report cards in a browser: demo.prof writes an appraisal for demo.eleve, the direction generates and
// publishes the class's report cards, demo.parent downloads their child's. Every page passes axe.
const fs = require('node:fs');
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test.describe.configure({ mode: 'serial' });

// Each person in a browser context of their own (axe needs pages of contexts the test made).
async function personPage(browser) {
  const { baseURL, locale } = test.info().project.use;
  const context = await browser.newContext({ baseURL, locale });
  return context.newPage();
}

test('an appraisal becomes a report card the parent downloads', async ({ browser }) => {
  // demo.eleve's division (the first class their cahier de textes lists) and their name.
  const student = await personPage(browser);
  await signIn(student, 'demo.eleve');
  const name = (await student.locator('.account .who .name').textContent()).trim();
  await student.goto('/cahier');
  const classLink = await student.locator('a[href^="/cahier/classe/"]').first().getAttribute('href');
  const classId = classLink.split('/').pop().split('?')[0];
  await student.context().close();

  const prof = await personPage(browser);
  await signIn(prof, 'demo.prof');
  await prof.goto('/bulletins');
  await expect(prof.locator('main h1')).toHaveText('Bulletins');
  await expectAccessible(prof, "a teacher's report-card classes");
  const sheetLink = prof.locator(`a[href^="/bulletins/appreciations/${classId}/"]`).first();
  const sheetHref = await sheetLink.getAttribute('href');
  const periodId = sheetHref.split('/')[4];
  await sheetLink.click();
  await expectAccessible(prof, "a teacher's appraisal sheet");
  const appraisal = prof.getByLabel(name, { exact: true });
  const text = `Bon trimestre, des efforts réguliers ${Date.now()}.`;
  await appraisal.fill(text);
  const counter = prof.locator(`#${await appraisal.getAttribute('id')}-count`);
  await expect(counter).toHaveText(`${[...text].length} / 400 caractères`);
  await prof.click('button:has-text("Enregistrer les appréciations")');
  await expect(prof.locator('p.notice')).toHaveText('Appréciations enregistrées.');
  await expect(prof.getByLabel(name, { exact: true })).toHaveValue(text);
  await prof.context().close();

  const direction = await personPage(browser);
  await signIn(direction, 'demo.direction');
  await direction.goto(`/bulletins/classe/${classId}/${periodId}`);
  await expectAccessible(direction, 'the class page of report cards');
  await direction.click('button:has-text("Générer les bulletins")');
  await expect(direction.locator('p.notice')).toContainText('bulletins générés');
  await direction.click('button:has-text("Publier les bulletins")');
  await expect(direction.locator('p.notice')).toContainText('bulletins publiés');
  await expectAccessible(direction, 'the class page once published');
  await direction.context().close();

  const parent = await personPage(browser);
  await signIn(parent, 'demo.parent');
  await parent.goto('/bulletins');
  await expect(parent.locator('main h1')).toHaveText('Bulletins');
  await expectAccessible(parent, "a parent's report cards");
  const section = parent.locator('section.card', { has: parent.locator('h2', { hasText: name }) });
  const [download] = await Promise.all([
    parent.waitForEvent('download'),
    section.locator('a[href^="/bulletins/fichier/"]').first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^bulletin-.*\.pdf$/);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  await parent.context().close();
});
