import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { renderReport } from './index.js';
import { HOSTILE_ACCOUNT_ID, sampleReportInput } from './sample-report-input.js';

const CHROMIUM = '/usr/bin/chromium';

let browser: Browser | undefined;
let directory = '';
let page: Page;
let fileUrl = '';
const requests: string[] = [];
const problems: string[] = [];

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: the report test needs a real Chromium (apt-get install chromium)`,
  );
  directory = await mkdtemp(join(tmpdir(), 'distillguard-report-'));
  const path = join(directory, 'report.html');
  await writeFile(path, renderReport(sampleReportInput({ campaigns: 3, flaggedAccounts: 250 })));
  fileUrl = pathToFileURL(path).href;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(fileUrl);
  await page.waitForSelector('#accounts tbody tr');
});

after(async () => {
  await browser?.close();
  if (directory !== '') await rm(directory, { recursive: true, force: true });
});

const visibleCampaignIds = () =>
  page.$$eval('#campaigns tbody tr:not([hidden]) td:first-child', (cells) =>
    cells.map((cell) => cell.textContent ?? ''),
  );

test('report: opens offline with no network request, no error, and its script running', async () => {
  assert.deepEqual(requests, [fileUrl]);
  assert.deepEqual(problems, []);
  assert.equal(await page.textContent('#account-status'), '1–100 of 250 (page 1 of 3)');
});

test('report: the campaign table lists every campaign and sorts by a numeric column', async () => {
  assert.deepEqual(await visibleCampaignIds(), ['campaign-1', 'campaign-2', 'campaign-3']);
  const exchanges = () =>
    page.$$eval('#campaigns tbody tr td:nth-child(5)', (cells) =>
      cells.map((cell) => Number(cell.getAttribute('data-sort'))),
    );
  await page.click('#campaigns th:nth-child(5)');
  const descending = await exchanges();
  assert.deepEqual(
    descending,
    [...descending].sort((left, right) => right - left),
  );
  assert.notDeepEqual(descending, [3156, 3420, 3336]);
  await page.click('#campaigns th:nth-child(5)');
  const ascending = await exchanges();
  assert.deepEqual(
    ascending,
    [...ascending].sort((left, right) => left - right),
  );
});

test('report: the campaign filter hides rows that do not match', async () => {
  await page.fill('#campaign-filter', 'campaign-2');
  assert.deepEqual(await visibleCampaignIds(), ['campaign-2']);
  await page.fill('#campaign-filter', '');
  assert.equal((await visibleCampaignIds()).length, 3);
});

test('report: the flagged-account table filters, pages and sorts from the embedded data', async () => {
  await page.selectOption('#account-verdict', 'suspect');
  assert.equal(await page.textContent('#account-status'), '1–50 of 50 (page 1 of 1)');
  const verdicts = await page.$$eval('#accounts tbody tr td:nth-child(2)', (cells) =>
    cells.map((cell) => cell.textContent),
  );
  assert.ok(verdicts.every((verdict) => verdict === 'suspect'));
  await page.selectOption('#account-verdict', '');
  await page.selectOption('#account-campaign', 'campaign-3');
  assert.match((await page.textContent('#account-status')) ?? '', / of 83 /);
  await page.selectOption('#account-campaign', '');
  await page.click('#account-next');
  assert.equal(await page.textContent('#account-status'), '101–200 of 250 (page 2 of 3)');
  await page.click('#accounts th[data-key="account"]');
  const ids = await page.$$eval('#accounts tbody tr td:first-child', (cells) =>
    cells.map((cell) => cell.textContent ?? ''),
  );
  assert.equal(ids.length, 100);
  assert.deepEqual(ids, [...ids].sort().reverse());
  await page.fill('#account-filter', 'acct-000123');
  assert.equal(await page.textContent('#account-status'), '1–1 of 1 (page 1 of 1)');
  await page.fill('#account-filter', '');
});

test('report: markup in an account id is shown as text and never runs', async () => {
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as Record<string, unknown>).__injected),
    undefined,
  );
  await page.fill('#account-filter', 'window.__injected');
  const shown = await page.textContent('#accounts tbody tr td:first-child');
  assert.equal(shown, HOSTILE_ACCOUNT_ID);
  assert.equal(await page.$$eval('#accounts img, details img', (images) => images.length), 0);
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as Record<string, unknown>).__injected),
    undefined,
  );
  assert.deepEqual(requests, [fileUrl]);
  assert.deepEqual(problems, []);
});
