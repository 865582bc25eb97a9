export interface FormatTableOptions {
  /** How many leading columns are left-aligned (text); the rest are right-aligned (numbers). */
  leftAlignedColumns?: number;
}

/**
 * A plain-text table for terminals: a header, a rule of dashes, then the rows, columns two
 * spaces apart, trailing spaces trimmed. Returns the lines, so callers can add their own.
 *
 * @example
 * formatTable(['persona', 'accounts'], [['chat', '12']], { leftAlignedColumns: 1 }).join('\n');
 * // persona  accounts
 * // -------  --------
 * // chat           12
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  { leftAlignedColumns = header.length }: FormatTableOptions = {},
): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column < leftAlignedColumns
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render)];
}
