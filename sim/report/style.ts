/**
 * The report's only stylesheet, inlined: the file must open offline, so no web fonts, no CDN,
 * nothing fetched. System fonts and plain colours.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #fff; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 6px; border-bottom: 1px solid #d9dee7; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 2px; }
p.lead, p.how { color: #4a5468; margin: 4px 0 8px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0; }
dl.meta dt { color: #4a5468; }
dl.meta dd { margin: 0; font-variant-numeric: tabular-nums; }
svg.chart { display: block; width: 100%; height: auto; max-width: 960px; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #4a5468; }
svg.chart .axis-title { font-size: 12px; fill: #1d2330; }
svg.chart .grid { stroke: #e6e9ef; stroke-width: 1; }
svg.chart .axis { stroke: #8a93a6; stroke-width: 1; }
svg.chart .line { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
svg.chart .line.thin { stroke-width: 1; }
svg.chart .area { stroke: none; opacity: 0.9; }
svg.chart .marker { stroke: #c0392b; stroke-width: 1; stroke-dasharray: 5 4; }
svg.chart text.marker-label { fill: #c0392b; }
svg.chart circle.as-run { fill: none; stroke-width: 2; }
ul.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
table.summary { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.summary th, table.summary td { padding: 5px 8px; border-bottom: 1px solid #e6e9ef; }
table.summary th { background: #f4f6f9; font-weight: 600; }
table.summary .right { text-align: right; }
table.summary .left { text-align: left; }
table.summary td.best { font-weight: 700; color: #17643d; }
ul.notes li { margin: 2px 0; }
details.endpoints { margin: 4px 0 12px; }
details.endpoints > summary { cursor: pointer; color: #1f4e79; }
`;
