/** Whether a model name matches one upstream's `models` list. */
export type ModelMatcher = (model: string) => boolean;

/**
 * Compiles an upstream's `models` patterns once: an exact name (`gpt-4o`), or a glob where `*`
 * is any run of characters and `?` one character (`claude-*`, `gpt-4o-????-??-??`). A prefix is
 * a glob ending in `*`. No pattern list, or `['*']`, matches every model.
 *
 * @example
 * const matches = compileModelPatterns(['gpt-4o', 'claude-*']);
 * matches('claude-3-5-sonnet'); // true
 */
export function compileModelPatterns(patterns: readonly string[] | undefined): ModelMatcher {
  if (patterns === undefined || patterns.includes('*')) return () => true;
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const pattern of patterns) {
    if (!/[*?]/.test(pattern)) exact.add(pattern);
    else {
      const source = pattern
        .split('')
        .map((char) =>
          char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      globs.push(new RegExp(`^${source}$`, 's'));
    }
  }
  return (model) => exact.has(model) || globs.some((glob) => glob.test(model));
}
