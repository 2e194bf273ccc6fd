const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML and SVG, in element content and in quoted attribute values alike.
 * Every string that comes from report data (policy names, trace paths, notes) goes through it:
 * a trace file named `<script>.csv` must print as text, never run.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
