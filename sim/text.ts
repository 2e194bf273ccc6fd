/**
 * Text that came from input (file names, trace cells, scenario names) made safe to print:
 * control characters, terminal escape sequences included, are shown as \xNN instead of
 * being interpreted. Values inside an error message are quoted and cut by formatValue
 * (functions/problems.ts); this is for the rest of a line (a file name, a report path).
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
