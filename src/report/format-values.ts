/** `12345` → `12,345`. */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** RFC 3339 → `2026-02-01 12:00` (UTC); null or unparsable → `—`. */
export function formatTime(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const time = Date.parse(value);
  if (Number.isNaN(time)) return '—';
  return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

/** `shared_infrastructure` → `Shared infrastructure`: one place where reason codes become titles. */
export function reasonTitle(code: string): string {
  const words = code.replace(/_/g, ' ').trim();
  return words === '' ? code : words.charAt(0).toUpperCase() + words.slice(1);
}
