/** The self-contained `report.html` that `analyze` writes (opens offline; see docs/evaluation.md). */
export { escapeHtml, jsonForScript } from './escape-html.js';
export { type ReportInput, type ReportOptions, renderReport } from './render-report.js';
