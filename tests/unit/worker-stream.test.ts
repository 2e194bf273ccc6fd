import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ndjsonParser, sseParser } from "../../worker/stream";

/** Feeds `text` split at `cuts` and collects every event. */
function parseInChunks(parser: ReturnType<typeof sseParser>, text: string, cuts: number[]): unknown[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: unknown[] = [];
  let last = 0;
  for (const p of points) {
    out.push(...parser.push(text.slice(last, p)));
    last = p;
  }
  out.push(...parser.push(text.slice(last)));
  out.push(...parser.end());
  return out;
}

describe("server-sent events", () => {
  const stream =
    ': keep-alive\n\ndata: {"i":0}\n\nevent: chunk\ndata: {"i":1}\r\n\r\ndata: line one\ndata: line two\n\nid: 7\ndata:{"i":3}\n\ndata: [DONE]\n\n';
  const events = [{ i: 0 }, { i: 1 }, "line one\nline two", { i: 3 }];

  it("yields each event's data, parsed when JSON, skipping comments and the [DONE] marker", () => {
    expect(parseInChunks(sseParser(), stream, [])).toEqual(events);
  });

  it("yields the same events however the body is chunked", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(parseInChunks(sseParser(), stream, cuts)).toEqual(events);
      }),
    );
  });

  it("keeps a last event that lacks its blank line", () => {
    expect(parseInChunks(sseParser(), 'data: {"i":9}', [])).toEqual([{ i: 9 }]);
  });
});

describe("newline-delimited JSON", () => {
  it("yields one event per line however the body is chunked", () => {
    const text = '{"t":"a"}\n{"t":"b"}\n\n{"t":"c"}';
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
        expect(parseInChunks(ndjsonParser(), text, cuts)).toEqual([{ t: "a" }, { t: "b" }, { t: "c" }]);
      }),
    );
  });
});
