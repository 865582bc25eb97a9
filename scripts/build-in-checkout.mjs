// `prepare`: builds dist/ in a checkout (`npm install` there, `npm pack`), and does nothing in an
// installed copy. npm may run `prepare` when a package is installed from a tarball or a folder
// (a "non-registry source", when the user allows its scripts); the tarball already ships the
// built dist/ and has neither the sources nor TypeScript, so there is nothing to build there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('tsconfig.build.json') && existsSync('src')) {
  // npm puts node_modules/.bin on PATH for its scripts.
  const result = spawnSync('tsc', ['-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  process.exit(result.status ?? 1);
}
