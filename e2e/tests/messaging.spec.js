// Messaging in a browser: a teacher finds a student of their class by name and writes to them, the
// student finds it unread, reads it and answers the teacher; the reply comes back into the teacher's inbox. The compose
// form works without JavaScript: searching for a person re-renders the form with what was typed.
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

test('a teacher writes to a student and the student replies', async ({ page, browser }) => {
  const subject = `Sortie au musée ${Date.now()}`;
  // demo.eleve's name, to find them in the compose form's search (a student: the notification spec
  // counts demo.parent's notifications at the same time).
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await signIn(student, 'demo.eleve');
  const name = (await student.locator('.who .name').innerText()).trim();
  const last = name.split(' ').slice(1).join(' ');

  await signIn(page, 'demo.prof');
  await page.goto('/messagerie');
  await expect(page.locator('main h1')).toHaveText('Boîte de réception');
  await expectAccessible(page, 'the inbox');
  await page.click('a:has-text("Nouveau message")');
  await expect(page.locator('main h1')).toHaveText('Nouveau message');
  // The teacher's classes come as groups (students, parents, teachers).
  await expect(page.locator('select[name^="dest:parents:"]').first()).toBeVisible();
  await expectAccessible(page, 'the compose form');

  // Searching for a person keeps what was already typed.
  await page.fill('#subject', subject);
  await page.fill('#body', 'Bonjour,\n\nprévoir un pique-nique jeudi :\n\n- un **sac**\n- une gourde');
  await page.fill('#cherche', last);
  await page.click('button:has-text("Rechercher")');
  await expect(page.locator('#subject')).toHaveValue(subject);
  await expect(page.locator('#body')).toHaveValue(/pique-nique/);
  await page.getByLabel(name, { exact: false }).first().selectOption('to');
  await page.check('#read_tracking');
  await page.click('button:has-text("Envoyer")');
  await expect(page.locator('.notice')).toHaveText('Message envoyé.');

  // demo.eleve sees it unread, opens it, answers.
  await student.goto('/messagerie');
  const line = student.locator('.msg-line', { hasText: subject });
  await expect(line).toHaveClass(/msg-unread/);
  await line.locator('a').click();
  await expect(student.locator('main h1')).toHaveText(subject);
  await expect(student.locator('.msg-body').last()).toContainText('prévoir un pique-nique');
  await expect(student.locator('.msg-body strong').last()).toHaveText('sac');
  await expectAccessible(student, 'a conversation');
  await student.fill('#reply-body', 'Merci, ce sera fait.');
  await student.click('button:has-text("Répondre")');
  await expect(student.locator('.notice')).toHaveText('Message envoyé.');
  await studentContext.close();

  // The answer is in the teacher's inbox, in the same conversation, with the read receipt.
  await page.goto('/messagerie');
  await page.locator('.msg-line', { hasText: subject }).locator('a').click();
  await expect(page.locator('main')).toContainText('Merci, ce sera fait.');
  await expect(page.locator('main')).toContainText(/Lu par 1 sur \d+/);
});

test('the school moderators have their queue and rules', async ({ page }) => {
  await signIn(page, 'demo.direction');
  await page.goto('/messagerie/moderation');
  await expect(page.locator('main h1')).toHaveText('Modération de la messagerie');
  await expectAccessible(page, 'the moderation queue');
  await page.goto('/messagerie/regles');
  await expect(page.locator('main h1')).toHaveText('Règles de communication');
  await expectAccessible(page, 'the communication rules');
});
