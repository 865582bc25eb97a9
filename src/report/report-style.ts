/** The report's whole stylesheet, inlined: the file must open offline with nothing else. */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1a202c; --muted: #4a5568; --line: #e2e8f0; --accent: #2b6cb0;
  --attack: #c53030; --suspect: #b7791f; --clean: #2f855a; --panel: #f7fafc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
main { padding: 8px 32px 48px; max-width: 1280px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.muted, .note { color: var(--muted); }
.note { background: #fffbea; border: 1px solid #f6e05e; padding: 6px 10px; border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 12px; margin-top: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card .value { font-size: 24px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.attack .value { color: var(--attack); } .card.suspect .value { color: var(--suspect); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
th[data-type], th[data-key] { cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.id, .ids { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
td.id { white-space: nowrap; max-width: 32ch; overflow: hidden; text-overflow: ellipsis; }
.ids { overflow-wrap: anywhere; }
td.reasons-cell { font-size: 12.5px; line-height: 1.35; }
.verdict-attack { color: var(--attack); font-weight: 600; } .verdict-suspect { color: var(--suspect); font-weight: 600; }
.controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
.controls input, .controls select, .controls button { font: inherit; padding: 4px 8px; border: 1px solid #cbd5e0; border-radius: 4px; background: #fff; }
.controls input { min-width: 260px; }
details.campaign { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
details.campaign > summary { cursor: pointer; font-weight: 600; }
svg text { font-size: 11px; fill: var(--muted); }
svg .bars rect { fill: var(--accent); }
svg line.axis { stroke: #a0aec0; } svg line.flag { stroke: var(--attack); stroke-width: 2; stroke-dasharray: 4 3; }
svg text.flag { fill: var(--attack); font-weight: 600; }
.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
.reason-code { display: inline-block; font-size: 11px; background: #edf2f7; border-radius: 3px; padding: 0 5px; margin: 1px 4px 1px 0; }
ul.reasons { margin: 4px 0; padding-left: 18px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } main, header { padding-left: 12px; padding-right: 12px; } }
`;
