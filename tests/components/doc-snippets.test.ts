import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { installMocks } from "../support/pulumi-mocks";
import { settle } from "./gpu-cluster-helpers";

const ROOT = join(__dirname, "..", "..");
const MARKER = /^<!-- snippet: (examples\/snippets\/[\w-]+\.ts) -->$/;

interface Block {
  doc: string;
  file: string | undefined;
  code: string;
}

/** Every TypeScript block of a markdown file, with the snippet file named on the line before it. */
function tsBlocks(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), "utf8").split("\n");
  const blocks: Block[] = [];
  lines.forEach((line, i) => {
    if (!/^```(ts|typescript)$/.test(line)) return;
    const end = lines.indexOf("```", i + 1);
    const marker = MARKER.exec(lines[i - 1] ?? "");
    blocks.push({ doc, file: marker?.[1], code: lines.slice(i + 1, end).join("\n") });
  });
  return blocks;
}

/** The documented region of a snippet file: between the markers, or all of it. */
function region(file: string): string {
  const text = readFileSync(join(ROOT, file), "utf8");
  const start = text.indexOf("// snippet-start\n");
  const end = text.indexOf("// snippet-end");
  const body = start >= 0 && end > start ? text.slice(start + "// snippet-start\n".length, end) : text;
  return body.replace(/\n+$/, "");
}

const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) => f.endsWith(".md"));
const blocks = docs.flatMap(tsBlocks);
const snippetFiles = readdirSync(join(ROOT, "examples", "snippets"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `examples/snippets/${f}`);

describe("code in README.md and docs/", () => {
  it.each(blocks.map((b, i) => [`${b.doc} #${i}`, b] as const))("%s is a snippet file's region", (_label, block) => {
    expect(
      block.file,
      `${block.doc}: a TypeScript block needs a <!-- snippet: examples/snippets/... --> line`,
    ).toBeDefined();
    expect(block.code).toBe(region(block.file as string));
  });

  it("uses every snippet file", () => {
    expect(new Set(blocks.map((b) => b.file))).toEqual(new Set(snippetFiles));
  });
});

describe("snippet files run as Pulumi programs", () => {
  const mocks = installMocks();

  it.each(snippetFiles)(
    "%s builds its resources with no unknown lookup",
    async (file) => {
      pulumi.runtime.setAllConfig({ "edge:kubeconfig": "apiVersion: v1\nkind: Config\n" }, ["edge:kubeconfig"]);
      const before = mocks.resources.length;

      await import(join(ROOT, file));
      await settle();

      expect(mocks.unknownInvokes).toEqual([]);
      expect(mocks.resources.length).toBeGreaterThan(before);
    },
    120_000,
  );
});
