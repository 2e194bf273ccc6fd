export { downsampleMinMax, type Point } from "./downsample";
export { escapeHtml } from "./escape";
export { renderReport } from "./render";
export { renderSummaryTable } from "./table";
export type { CostSloCurve, PolicySeries, PolicySummary, ReportData, WaitHistogram } from "./types";
