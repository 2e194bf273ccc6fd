/**
 * Incremental parsers for streamed model answers: text arrives in arbitrary chunks, complete
 * events come out in order. Pure, so chunk boundaries can be tested exhaustively.
 */
import { parseBody, type StreamFormat } from "./decide";

/** OpenAI-compatible servers end a stream with this data line; it carries no content. */
const SSE_DONE = "[DONE]";

export interface EventParser {
  /** Feeds a chunk; returns the events it completed. */
  push(chunk: string): unknown[];
  /** The stream ended; returns a last event left without its terminator. */
  end(): unknown[];
}

/** Server-sent events: `data:` lines joined by newlines, events ended by a blank line; comments and other fields ignored. */
export function sseParser(): EventParser {
  let buffer = "";
  let data: string[] = [];
  const line = (text: string, out: unknown[]) => {
    if (text === "") {
      if (data.length > 0) {
        const joined = data.join("\n");
        if (joined !== SSE_DONE) out.push(parseBody(joined));
        data = [];
      }
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    if (field !== "data") return;
    const value = colon < 0 ? "" : text.slice(colon + 1);
    data.push(value.startsWith(" ") ? value.slice(1) : value);
  };
  return {
    push(chunk) {
      buffer += chunk;
      const out: unknown[] = [];
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline >= 0) {
        // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
        if (buffer[newline] === "\r" && newline === buffer.length - 1) break;
        const width = buffer.startsWith("\r\n", newline) ? 2 : 1;
        line(buffer.slice(0, newline), out);
        buffer = buffer.slice(newline + width);
        newline = buffer.search(/\r\n|\r|\n/);
      }
      return out;
    },
    end() {
      const out: unknown[] = [];
      if (buffer !== "") line(buffer.replace(/\r$/, ""), out);
      buffer = "";
      line("", out);
      return out;
    },
  };
}

/** Newline-delimited JSON: one event per non-empty line. */
export function ndjsonParser(): EventParser {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      return lines
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .map(parseBody);
    },
    end() {
      const rest = buffer.trim();
      buffer = "";
      return rest === "" ? [] : [parseBody(rest)];
    },
  };
}

export function eventParser(format: StreamFormat): EventParser {
  return format === "sse" ? sseParser() : ndjsonParser();
}
