// Grades in a browser: a teacher creates an evaluation in demo.eleve's class, enters marks with the
// keyboard (Enter and arrows move down and up, a column pasted from a spreadsheet fills the following
// cells), publishes; the parent then sees the mark with the evaluation's class average, min and max,
// and the averages. The demo seeds demo.prof's evaluations in that class (one of them a draft).
const { test, expect } = require('@playwright/test');
const { signIn, expectAccessible } = require('./helpers');

// "12,5" → 1250: marks in hundredths, as the server computes them.
function hundredths(v) {
  const [units, decimals = ''] = v.split(',');
  return Number(units) * 100 + Number((decimals + '00').slice(0, 2));
}

// Hundredths → "12,35" after the half-up rounding of a mean.
function fr(h) {
  return `${Math.floor(h / 100)},${String(h % 100).padStart(2, '0')}`;
}

test('a teacher enters marks with the keyboard, publishes, and the parent sees them', async ({ page, browser }) => {
  // demo.eleve's name, to find their row in the grid ("NOM Prénom").
  const eleveContext = await browser.newContext();
  const eleve = await eleveContext.newPage();
  await signIn(eleve, 'demo.eleve');
  const name = (await eleve.locator('.who .name').innerText()).trim();
  await eleveContext.close();
  const first = name.split(' ')[0];
  const last = name.slice(first.length + 1).toUpperCase();

  await signIn(page, 'demo.prof');
  await page.goto('/notes');
  await expect(page.locator('main h1')).toHaveText('Mes évaluations');
  await expectAccessible(page, "the teacher's evaluations");
  // The demo's draft is in demo.eleve's class: its row names the class and subject to choose.
  const draftRow = page.locator('tbody tr', { hasText: 'Évaluation en préparation' });
  const teaching = (await draftRow.locator('td').nth(1).innerText()).trim();

  await page.click('a:has-text("Nouvelle évaluation")');
  await expectAccessible(page, 'the evaluation form');
  await page.selectOption('#teaching', { label: teaching });
  const title = `Contrôle du navigateur ${Date.now()}`;
  await page.fill('#title', title);
  await page.click('button:has-text("Créer l\'évaluation")');
  await expect(page.locator('main h1')).toHaveText(title);
  await expect(page.locator('#grid-state')).toContainText('Brouillon');
  await expectAccessible(page, 'the marks grid');

  const marks = page.locator('input[data-mark]');
  const count = await marks.count();
  expect(count).toBeGreaterThan(8);
  // A column copied from a spreadsheet, pasted in the first cell, fills every row.
  const column = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? `${8 + (i % 11)},5` : String(6 + ((i * 7) % 13))));
  await page.locator('#n-1').focus();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const input = document.querySelector('#n-1');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, column.join('\r\n') + '\r\n');
  await expect(page.locator('#grid-status')).toHaveText(`${count} notes collées dans la colonne.`);
  await expect(page.locator(`#n-${count}`)).toHaveValue(column[count - 1]);

  // demo.eleve's row gets 16,5.
  const rows = page.locator('tbody th[scope=row]');
  let at = -1;
  for (let i = 0; i < count; i += 1) {
    const text = await rows.nth(i).innerText();
    if (text.includes(last) && text.includes(first)) at = i;
  }
  expect(at).toBeGreaterThanOrEqual(0);
  await page.locator(`#n-${at + 1}`).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('16,5');
  column[at] = '16,5';

  // The keyboard alone, on three rows that are not demo.eleve's: type, Enter goes to the next
  // student, ↓ too, ↑ back.
  const k = at < 3 ? at + 2 : 1;
  await page.locator(`#n-${k}`).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12,5');
  await page.keyboard.press('Enter');
  await expect(page.locator(`#n-${k + 1}`)).toBeFocused();
  await page.keyboard.type('Abs');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(`#n-${k + 2}`)).toBeFocused();
  await page.keyboard.type('NR');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(`#n-${k + 1}`)).toBeFocused();
  column[k - 1] = '12,5';
  column[k] = 'Abs';
  column[k + 1] = 'NR';

  // A mark over the scale is refused with the row named; then the right one is saved and published.
  const lastRow = at === count - 1 ? count - 1 : count;
  await page.locator(`#n-${lastRow}`).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('21');
  await page.click('button:has-text("Enregistrer et publier")');
  await expect(page.locator('.alert')).toContainText(`Ligne ${lastRow} (`);
  await expect(page.locator('.alert')).toContainText('dépasse le barème (sur 20)');
  await expectAccessible(page, 'the grid with an error');
  await expect(page.locator(`#n-${k}`)).toHaveValue('12,5');
  await page.locator(`#n-${lastRow}`).fill('20');
  column[lastRow - 1] = '20';
  await page.click('button:has-text("Enregistrer et publier")');
  await expect(page.locator('#grid-state')).toContainText('Publiée le');
  await expect(page.locator(`#n-${at + 1}`)).toHaveValue('16,5');

  // What the parent must read: 16,5/20, and the class's average, min and max of this evaluation
  // (Abs left out, NR counted 0).
  const counted = column.filter((v) => v !== 'Abs').map((v) => (v === 'NR' ? 0 : hundredths(v)));
  const sum = counted.reduce((a, b) => a + b, 0);
  const average = fr(Math.floor((2 * sum + counted.length) / (2 * counted.length)));
  const min = fr(Math.min(...counted));
  const max = fr(Math.max(...counted));

  const parentContext = await browser.newContext();
  const parent = await parentContext.newPage();
  await signIn(parent, 'demo.parent');
  await parent.goto('/notes');
  await expect(parent.locator('main h1')).toHaveText('Notes');
  const row = parent.locator('tbody tr', { hasText: title });
  await expect(row.locator('.gr-mark')).toHaveText('16,5/20');
  await expect(row.locator('.gr-avg')).toHaveText(average);
  await expect(row.locator('.gr-range')).toHaveText(`(${min} – ${max})`);
  const subject = parent.locator('section.gr-subject', { hasText: title });
  await expect(subject.locator('.gr-subject-average')).toHaveText(/^\d{1,2},\d\d$/);
  await expect(subject.locator('.gr-class-average')).toHaveText(/^\d{1,2},\d\d$/);
  await expect(parent.locator('#overall-average')).toHaveText(/^\d{1,2},\d\d$/);
  await expect(parent.locator('main')).not.toContainText('Évaluation en préparation');
  await expectAccessible(parent, "a parent's marks page");
  await row.locator('a').click();
  await expect(parent.locator('main h1')).toHaveText(title);
  await expect(parent.locator('.gr-mark')).toHaveText('16,5/20');
  await expectAccessible(parent, 'an evaluation seen by a parent');
  await parent.goto('/notes/competences');
  await expect(parent.locator('main')).toContainText('cycle 4');
  await expectAccessible(parent, "a parent's view of the common-core summary");
  await parentContext.close();
});

test('the direction reads the periods and the head teacher the class summary', async ({ page }) => {
  await signIn(page, 'demo.direction');
  await page.goto('/notes/periodes');
  await expect(page.locator('main h1')).toHaveText('Périodes et réglages des notes');
  await expect(page.locator('main')).toContainText('1er trimestre');
  await expectAccessible(page, 'the periods and rules page');
  await page.goto('/notes/competences');
  await page.locator('nav .chips a').first().click();
  await expect(page.locator('table.gr-skills-table')).toBeVisible();
  await expectAccessible(page, "a class's common-core summary");
});
