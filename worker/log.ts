/** One JSON object per line on stdout: what log collectors on Kubernetes parse without configuration. */
export type Log = (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;

export function jsonLog(write: (line: string) => void = (l) => process.stdout.write(l)): Log {
  return (level, msg, fields) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}
