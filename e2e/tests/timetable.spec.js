// Timetables in a browser: the student's week and a lesson, a parent's child, a teacher's week and calendar
// subscription, the vie scolaire cancelling a lesson, the day view on a phone. The demo runs on today's date,
// so the tests look for the next week with lessons rather than a fixed date.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

// Moves to the following weeks until one has lessons (holidays may come first).
async function weekWithLessons(page) {
  for (let i = 0; i < 6; i += 1) {
    if (await page.locator('.tt-lesson').count() > 0) return;
    await page.click('a[rel=next]');
  }
  throw new Error('no week with lessons in the next six');
}

test('a student reads their week and opens a lesson', async ({ page }) => {
  await signIn(page, 'demo.eleve');
  await page.click('ul.tiles a[href="/edt"]');
  await expect(page.locator('main h1')).toHaveText('Mon emploi du temps');
  await page.click('a[rel=next]');
  await weekWithLessons(page);
  await expect(page.locator('main .muted').first()).toContainText('Semaine du');
  await expectAccessible(page, "the student's week");
  await page.locator('.tt-lesson a').first().click();
  await expect(page.locator('a', { hasText: 'Cahier de textes de cette séance' })).toBeVisible();
  await expect(page.locator('form button', { hasText: 'Enregistrer' })).toHaveCount(0);
  await expectAccessible(page, 'a lesson seen by a student');
});

test('a parent sees their child timetable', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.goto('/edt?semaine=' + new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10));
  await expect(page.locator('main h1')).toContainText('Emploi du temps de');
  await weekWithLessons(page);
  await expectAccessible(page, "a parent's view of a child's week");
});

test('a teacher sees their week and subscribes a calendar to it', async ({ page }) => {
  await signIn(page, 'demo.prof');
  await page.goto('/edt?semaine=' + new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10));
  await weekWithLessons(page);
  await expect(page.locator('.tt-meta').first()).toContainText('salle');
  await page.click('a[href="/edt/abonnement"]');
  await expectAccessible(page, 'the subscription page');
  await page.click('button[value=new]');
  const url = await page.locator('#feed-url').inputValue();
  expect(url).toMatch(/\/edt\/flux\/[A-Za-z0-9_-]+\.ics$/);
  const feed = await page.request.get(url);
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain('BEGIN:VEVENT');
  await page.click('button[value=revoke]');
  expect((await page.request.get(url)).status()).toBe(404);
});

test('the vie scolaire cancels a lesson and the class timetable shows it', async ({ page }) => {
  await signIn(page, 'demo.cpe');
  await page.goto('/edt');
  await expect(page.locator('main h1')).toHaveText("Emplois du temps de l'établissement");
  await expectAccessible(page, "the school's timetables");
  await page.locator('section[aria-labelledby=tt-classes] a').first().click();
  await page.click('a[rel=next]');
  await weekWithLessons(page);
  const week = page.url();
  await page.locator('.tt-lesson a').first().click();
  await expectAccessible(page, 'the change form');
  await page.check('#cancelled');
  await page.fill('#note', 'Sortie au musée');
  await page.click('form button.primary');
  await expect(page.locator('[role=status]')).toContainText('Modification enregistrée');
  await expect(page.locator('main h1')).toContainText('Cours annulé');
  await page.goto(week);
  await expect(page.locator('.tt-changes')).toContainText('Sortie au musée');
  await expect(page.locator('.tt-cancelled')).toHaveCount(1);
});

test.describe('on a phone', () => {
  test.use({
    viewport: { width: 375, height: 740 },
    userAgent: 'Mozilla/5.0 (Linux; Android 13; SM-A145R) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
  });

  test('the timetable opens on the day', async ({ page }) => {
    await signIn(page, 'demo.eleve');
    await page.goto('/edt');
    await expect(page.locator('a', { hasText: 'Voir la semaine' })).toBeVisible();
    await expect(page.locator('.tt-day')).toHaveCount(1);
    await expectAccessible(page, 'the day view on a phone');
  });
});

test('the direction reads and can adapt the school calendar', async ({ page }) => {
  await signIn(page, 'demo.direction');
  await page.goto('/edt/etablissement');
  await page.click('a[href="/edt/calendrier"]');
  await expect(page.locator('main h1')).toHaveText("Calendrier de l'année scolaire");
  await expect(page.locator('#holidays')).toContainText('Vacances de Noël');
  await expectAccessible(page, 'the school calendar');
});
