import { percent } from "./cost-slo";
import { escapeHtml } from "./escape";
import type { PolicySummary } from "./types";

interface Column {
  header: string;
  /** Numbers align right, names left. */
  align: "left" | "right";
  cell(s: PolicySummary): string;
}

const COLUMNS: Column[] = [
  { header: "policy", align: "left", cell: (s) => s.name },
  { header: "cost $", align: "right", cell: (s) => money(s.costUsd) },
  { header: "GPU-h", align: "right", cell: (s) => fixed(s.gpuHours, 1) },
  { header: "spot", align: "right", cell: (s) => `${fixed(s.spotShare * 100, 0)}%` },
  { header: "within SLO", align: "right", cell: (s) => percent(s.sloAttainment) },
  { header: "p50 wait s", align: "right", cell: (s) => fixed(s.p50WaitSeconds, 1) },
  { header: "p99 wait s", align: "right", cell: (s) => fixed(s.p99WaitSeconds, 1) },
  { header: "lost", align: "right", cell: (s) => String(s.lostRequests) },
  { header: "interruptions", align: "right", cell: (s) => String(s.interruptions) },
  {
    header: "cost at SLO $",
    align: "right",
    cell: (s) => (s.costAtSloUsd === null ? "unreachable" : money(s.costAtSloUsd)),
  },
  {
    header: "95% CI",
    align: "right",
    cell: (s) => (s.costAtSloCi95 ? `${money(s.costAtSloCi95[0])}–${money(s.costAtSloCi95[1])}` : ""),
  },
];

/** The per-policy summary as a plain-text table for the terminal, one row per policy, no trailing newline. */
export function renderSummaryTable(summaries: readonly PolicySummary[]): string {
  const rows = [COLUMNS.map((c) => c.header), ...summaries.map((s) => COLUMNS.map((c) => oneLine(c.cell(s))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const width = widths[i] as number;
          return COLUMNS[i]?.align === "left" ? cell.padEnd(width) : cell.padStart(width);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * The same table as HTML. The cheapest cost at SLO is marked: that column is the comparison the
 * simulator exists for (cost when every policy is tuned to meet the same SLO).
 */
export function summaryTableHtml(summaries: readonly PolicySummary[], colorOf: (policy: string) => string): string {
  const reachable = summaries.map((s) => s.costAtSloUsd).filter((c): c is number => c !== null);
  const cheapest = reachable.length > 0 ? Math.min(...reachable) : null;
  const head = COLUMNS.map((c) => `<th class="${c.align}">${escapeHtml(c.header)}</th>`).join("");
  const body = summaries
    .map((s) => {
      const cells = COLUMNS.map((c, i) => {
        const text = escapeHtml(c.cell(s));
        if (i === 0) {
          return `<td class="left"><span class="swatch" style="background:${escapeHtml(colorOf(s.name))}"></span>${text}</td>`;
        }
        const best = c.header === "cost at SLO $" && cheapest !== null && s.costAtSloUsd === cheapest;
        return `<td class="${c.align}${best ? " best" : ""}">${text}</td>`;
      }).join("");
      return `<tr data-policy="${escapeHtml(s.name)}">${cells}</tr>`;
    })
    .join("");
  return `<table class="summary"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function money(value: number): string {
  return fixed(value, 2);
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** A policy name with a newline, tab or escape sequence would break the terminal table (or the terminal). */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}
