// The cahier de textes and homework in a browser: a teacher fills in a lesson from the timetable, a student
// ticks homework done and hands in work online, a parent reads their child's list. The demo seeds homework
// for demo.eleve's class, set by demo.prof, with one online hand-in.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test('a teacher fills in the cahier de textes of a lesson from the timetable', async ({ page }) => {
  await signIn(page, 'demo.prof');
  await page.goto('/edt?semaine=' + new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10));
  for (let i = 0; i < 6 && (await page.locator('.tt-lesson').count()) === 0; i += 1) {
    await page.click('a[rel=next]');
  }
  await page.locator('.tt-lesson a').first().click();
  await page.click('a:has-text("Cahier de textes de cette séance")');
  await expectAccessible(page, 'the lesson form of the cahier de textes');
  const content = `Théorème de Pythagore, démonstration ${Date.now()}`;
  await page.fill('#content', content);
  await page.click('button:has-text("Enregistrer la séance")');
  await expect(page.locator('#content')).toHaveValue(content);

  await page.goto('/devoirs');
  await expect(page.locator('main h1')).toHaveText('Travail à faire');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await expectAccessible(page, "the teacher's homework list");
  await page.locator('table tbody a').first().click();
  await expectAccessible(page, 'a homework seen by its teacher');
});

test('a student ticks homework done and hands in work online', async ({ page }) => {
  await signIn(page, 'demo.eleve');
  await page.click('ul.tiles a[href="/devoirs"]');
  await expect(page.locator('main h1')).toHaveText('Travail à faire');
  await expectAccessible(page, "the student's to-do list");
  const first = page.locator('li.todo-item').first();
  await first.locator('button[aria-pressed=false]').click();
  await expect(page.locator('li.todo-item.is-done')).not.toHaveCount(0);

  await page.locator('a.button-link[href$="#rendre"]').first().click();
  await expectAccessible(page, 'a homework with online hand-in');
  await page.fill('#work-text', 'Voici ma rédaction.');
  await page.click('button:has-text("Envoyer mon travail")');
  await expect(page.locator('main')).toContainText('Rendu le');
});

test('a parent reads their child homework without changing it', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.goto('/devoirs');
  await expect(page.locator('main h1')).toHaveText('Travail à faire');
  await expect(page.locator('li.todo-item').first()).toBeVisible();
  await expect(page.locator('li.todo-item form')).toHaveCount(0);
  await expectAccessible(page, "a parent's view of the homework");
});
