import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { ConfigError, type Problem } from "../../functions/problems";
import { LIMITS } from "../limits";
import { printable } from "../text";

/**
 * A problem of a trace file, its subject the file and line (`rate.csv:3`, as editors and
 * compilers name a place), or the file alone for the trace as a whole.
 */
export function traceError(path: string, line: number | undefined, problem: Problem): ConfigError {
  return new ConfigError(line === undefined ? printable(path) : `${printable(path)}:${line}`, [problem]);
}

/**
 * Lines of a text file, read in 1 MiB chunks so a trace of any size streams through
 * without being held in memory as one string. Yields [lineNumber (1-based), text without
 * the line ending]. A line longer than LIMITS.lineChars fails at once: no trace row is
 * that long, and a file without line breaks would otherwise be read whole.
 */
export function* readLines(path: string): Generator<[number, string]> {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    const decoder = new StringDecoder("utf8");
    let carry = "";
    let lineNo = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      const text = n > 0 ? carry + decoder.write(buffer.subarray(0, n)) : carry + decoder.end();
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) break;
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield [++lineNo, text.slice(start, end)];
        start = nl + 1;
      }
      carry = text.slice(start);
      if (carry.length > LIMITS.lineChars)
        throw traceError(path, lineNo + 1, {
          field: "line",
          rule: `is longer than ${LIMITS.lineChars} characters (is this a CSV trace?)`,
        });
      if (n === 0) {
        if (carry.length > 0) yield [++lineNo, carry.endsWith("\r") ? carry.slice(0, -1) : carry];
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
