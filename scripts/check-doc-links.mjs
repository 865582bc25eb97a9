// Checks that every relative link in README.md and docs/*.md resolves: the file exists and, for
// `file.md#anchor`, the heading does (GitHub's slugs). External links are not fetched (no
// network at test time). Run: node scripts/check-doc-links.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const documents = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name)),
];

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{Letter}\p{Number}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(path) {
  const text = readFileSync(path, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug(match[1])));
}

const problems = [];
let checked = 0;
for (const document of documents) {
  // Code blocks and inline code hold example syntax, not links.
  const text = readFileSync(document, 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/`[^`\n]*`/g, '');
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    checked += 1;
    const [pathPart, anchor] = target.split('#');
    const path = pathPart === '' ? document : resolve(dirname(document), pathPart);
    const where = relative(root, document);
    if (!existsSync(path)) {
      problems.push(`${where}: ${target} does not exist`);
    } else if (anchor && statSync(path).isFile() && path.endsWith('.md')) {
      if (!anchors(path).has(anchor)) problems.push(`${where}: ${target} names no heading`);
    }
  }
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`doc links: ${checked} relative links in ${documents.length} files resolve`);
