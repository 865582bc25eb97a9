import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { escapeHtml, jsonForScript, renderReport } from './index.js';
import { HOSTILE_ACCOUNT_ID, sampleReportInput } from './sample-report-input.js';

const escapeCases: [string, string][] = [
  ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  [`"a" & 'b'`, '&quot;a&quot; &amp; &#39;b&#39;'],
  ['plain 测试', 'plain 测试'],
];
for (const [input, expected] of escapeCases) {
  test(`escapeHtml(${JSON.stringify(input)})`, () => assert.equal(escapeHtml(input), expected));
}

test('jsonForScript cannot close its script element and round-trips', () => {
  const value = { id: '</script><script>x()</script><!--', line: 'a\u2028b', amp: '&' };
  const text = jsonForScript(value);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(text), value);
});

test('renderReport escapes every log-controlled string and embeds no raw markup from the log', () => {
  const html = renderReport(sampleReportInput());
  assert.ok(!html.includes(HOSTILE_ACCOUNT_ID));
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('<b>bold</b>'));
  assert.ok(html.includes('pf_0&lt;i&gt;'));
  // Exactly the two script elements the report owns.
  assert.equal(html.match(/<script/g)?.length, 2);
  assert.equal(html.match(/<\/script>/g)?.length, 2);
});

test('renderReport is self-contained: no external URL, and a CSP that pins its one script', () => {
  const html = renderReport(sampleReportInput());
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /\b(src|href)="(?!#)/);
  const script = html.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? '';
  const hash = createHash('sha256').update(script).digest('base64');
  assert.ok(html.includes(`script-src 'sha256-${hash}'`));
  assert.ok(html.includes("default-src 'none'"));
});

test('renderReport shows campaigns, cards and reasons', () => {
  const input = sampleReportInput({ campaigns: 4, flaggedAccounts: 40 });
  const html = renderReport(input);
  const tableBody =
    html.match(/<table id="campaigns"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  assert.equal(tableBody.match(/<tr>/g)?.length, 4);
  assert.equal(html.match(/<details class="campaign"/g)?.length, 4);
  assert.equal(html.match(/<svg class="timeline"/g)?.length, 4);
  const overview = html.match(/<svg class="overview"[\s\S]*?<\/svg>/)?.[0] ?? '';
  assert.equal(overview.match(/first flagged/g)?.length, 4, 'one first-flag marker per campaign');
  assert.match(html, /<div class="value">123,456<\/div><div class="label">Exchanges analysed/);
  assert.match(
    html,
    /Shared infrastructure<\/span> <span class="muted">shared_infrastructure<\/span><\/td><td class="number" data-sort="40">/,
  );
});

test('renderReport stays under 20 MB at 25,000 flagged accounts and caps what it embeds', () => {
  const input = sampleReportInput({
    campaigns: 3,
    flaggedAccounts: 25_000,
    cleanAccounts: 200_000,
  });
  const html = renderReport(input);
  assert.ok(html.length < 20 * 1024 * 1024, `report is ${html.length} bytes`);
  const data = JSON.parse(html.match(/id="account-data">([\s\S]*?)<\/script>/)?.[1] ?? '{}') as {
    accounts: unknown[];
  };
  assert.equal(data.accounts.length, 25_000);
  assert.doesNotMatch(html, /The table holds/);
  const capped = renderReport(input, { maxAccounts: 1_000 });
  assert.match(capped, /The table holds the 1,000 most severe of 25,000 flagged accounts/);
});

test('renderReport handles an empty analysis', () => {
  const html = renderReport({
    generatedAt: '2026-02-01T00:00:00.000Z',
    verdicts: [],
    campaigns: [],
    inputs: { files: [], exchanges: 0, accounts: 0, rejectedLines: 0 },
  });
  assert.match(html, /No campaigns found/);
  assert.match(html, /No flagged accounts/);
});
