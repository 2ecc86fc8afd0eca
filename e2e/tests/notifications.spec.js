// The notification feed in a browser: demo.parent finds the demo's notifications, sees the unread
// count in the header (kept live over server-sent events), marks one then all read, and opens the
// preferences; every page passes axe.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test('a parent reads the feed, marks items read, and the header counter follows', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await expect(page).toHaveURL(/\/$/);
  // Other specs notify demo.parent meanwhile, and the header must follow them live; the right to
  // disconnect (on by default) stops live pushes from 20:00 to 07:00 and on Sundays, when this may run.
  await page.goto('/notifications/preferences');
  await page.uncheck('#quiet');
  await page.click('main form button[type=submit]');
  await expect(page.locator('p.notice')).toContainText('Préférences enregistrées');
  await page.goto('/');
  const badge = page.locator('header [data-notif-count]');
  await expect(badge).toBeVisible();
  await expect(badge).toHaveText(/^[1-9][0-9]*$/);
  await expectAccessible(page, 'the portal with the notification counter');

  await page.click('header a.notif-link');
  await expect(page.locator('main h1')).toHaveText('Notifications');
  await expect(page.locator('li.notif-item')).not.toHaveCount(0);
  await expect(page.locator('main')).toContainText('Réunion parents-professeurs');
  await expect(page.locator('li.notif-unread').first()).toBeVisible();
  await expectAccessible(page, 'the notification feed');

  // Other specs running at the same time may notify demo.parent (a message, a news item): the header
  // is checked against the server's own count, which it must follow live.
  const followsServer = async () => {
    const server = (await (await page.request.get('/notifications/compteur')).text()).trim();
    if (server === '0') return !(await badge.isVisible());
    return (await badge.textContent()) === server;
  };
  await page.locator('li.notif-unread').first().locator('button').click();
  await expect(page.locator('p.notice')).toContainText('Notification marquée comme lue');
  await expect.poll(followsServer).toBe(true);

  await page.click('button:has-text("Tout marquer comme lu")');
  await expect(page.locator('p.notice')).toContainText('Toutes les notifications sont marquées comme lues');
  // At most a notification that arrived meanwhile (the news spec publishes to parents) is unread.
  expect(await page.locator('li.notif-unread').count()).toBeLessThanOrEqual(1);
  await expect.poll(followsServer).toBe(true);
  await expectAccessible(page, 'the feed with everything read');

  await page.click('a[href="/notifications/preferences"]');
  await expect(page.locator('main h1')).toHaveText('Préférences de notification');
  await expectAccessible(page, 'the notification preferences');
  await page.uncheck('#k-agenda');
  await page.check('#digest');
  await page.click('main form button[type=submit]');
  await expect(page.locator('p.notice')).toContainText('Préférences enregistrées');
  await expect(page.locator('#k-agenda')).not.toBeChecked();
  await expect(page.locator('#digest')).toBeChecked();
  await expect(page.locator('#quiet')).not.toBeChecked();
});

test('a student\'s feed is accessible too', async ({ page }) => {
  await signIn(page, 'demo.eleve');
  await page.goto('/notifications');
  await expect(page.locator('main h1')).toHaveText('Notifications');
  await expectAccessible(page, "a student's feed");
});
