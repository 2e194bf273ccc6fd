/**
 * Text that came from input (file names, trace cells, scenario names) made safe to print:
 * control characters, terminal escape sequences included, are shown as \xNN instead of
 * being interpreted, and long values are cut so an error never echoes a whole file.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** An input value for an error message: printable and at most `max` characters (then "…"). */
export function excerpt(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return printable(cut);
}
