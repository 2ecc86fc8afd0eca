// Discipline in a browser: the CPE records an incident with the student involved and gives a
// punishment for it, then the parent finds it on their child's record. The demo seeds two incidents in
// demo.eleve's class (one about a phone, demo.eleve its author) and an avertissement for demo.eleve.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test.describe.configure({ mode: 'serial' });

const reason = `Excuse écrite demandée pour une bousculade ${Date.now()}`;

test('the CPE records an incident and gives a punishment for it', async ({ page }) => {
  await signIn(page, 'demo.cpe');
  await page.click('ul.tiles a[href="/discipline"]');
  await expect(page.locator('main h1')).toHaveText('Discipline');
  await expectAccessible(page, "the CPE's discipline list");

  // demo.eleve and their class, from the demo's incident where they are the author.
  await page.locator('table a', { hasText: 'Usage du téléphone' }).first().click();
  await expectAccessible(page, 'an incident seen by the CPE');
  const row = page.locator('#personnes tbody tr').first();
  const className = (await row.locator('td').first().innerText()).trim();
  const href = await row.locator('th a').getAttribute('href');
  const student = href.split('/').pop();

  await page.goto('/discipline/incidents/nouveau');
  await page.selectOption('#pick-class', { label: className });
  await page.click('button:has-text("Afficher les élèves")');
  await expectAccessible(page, 'the new incident form');
  await page.fill('#i-time', '10:30');
  await page.fill('#i-place', 'Couloir du bâtiment B');
  await page.selectOption('#i-type', { label: 'Violence physique' });
  await page.fill('#i-description', 'Bousculade dans le couloir pendant l\'interclasse.');
  await page.selectOption(`#role-${student}`, 'auteur');
  await page.fill('#adult-1', 'M. Durand (AED)');
  await page.click('button:has-text("Enregistrer l\'incident")');
  await expect(page.locator('main h1')).toHaveText('Incident : Violence physique');
  await expect(page.locator('#personnes')).toContainText('M. Durand (AED)');

  await page.locator('#personnes a', { hasText: 'Donner une punition' }).first().click();
  await expectAccessible(page, 'the punishment form');
  await page.selectOption('#p-kind', { label: 'Excuse orale ou écrite' });
  await page.fill('#p-reason', reason);
  await page.click('main form button:has-text("Donner une punition")');
  await expect(page.locator('main h1')).toHaveText('Incident : Violence physique');
  await expect(page.locator('main')).toContainText(reason);
  await expectAccessible(page, 'an incident with its punishment');

  await page.goto(`/discipline/eleves/${student}`);
  await expect(page.locator('main')).toContainText(reason);
  await expectAccessible(page, "a student's discipline record");
});

test("the parent sees their child's punishment and sanction, not the others involved", async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.goto('/discipline');
  await expect(page.locator('main h1')).toHaveText('Discipline');
  await expect(page.locator('main')).toContainText(reason);
  await expect(page.locator('main')).toContainText('Excuse orale ou écrite');
  await expect(page.locator('main')).toContainText('Avertissement');
  await expect(page.locator('main')).not.toContainText('M. Durand');
  await expect(page.locator('main')).not.toContainText('Bousculade dans le couloir');
  await expectAccessible(page, "a parent's view of their child's discipline record");
});

test('the head reaches the sanction form, the settings and the journal', async ({ page }) => {
  await signIn(page, 'demo.direction');
  await page.goto('/discipline');
  await page.click('a:has-text("Décider une sanction")');
  await expect(page.locator('main h1')).toHaveText('Décider une sanction');
  await page.selectOption('#pick-class', { index: 1 });
  await page.click('button:has-text("Afficher les élèves")');
  await expectAccessible(page, 'the sanction form');
  await page.selectOption('#w-eleve', { index: 1 });
  await page.selectOption('#s-kind', { label: 'Exclusion temporaire de l\'établissement' });
  await page.fill('#s-reason', 'Violences répétées.');
  await page.fill('#s-start-day', '2026-09-14');
  await page.fill('#s-days', '9');
  await page.click('main form button:has-text("Décider une sanction")');
  await expect(page.locator('.alert')).toContainText("Durée de l'exclusion (jours) : 8 jours au plus");
  await expectAccessible(page, 'the sanction form with an error');

  await page.goto('/discipline/reglages');
  await expect(page.locator('#show-punishments')).toBeChecked();
  await expectAccessible(page, 'the discipline settings');
  await page.goto('/discipline/journal');
  await expect(page.locator('main')).toContainText('Punition donnée');
  await expectAccessible(page, 'the discipline journal');
});
