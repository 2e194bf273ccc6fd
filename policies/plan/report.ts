import type { Violation } from "./evaluate";

/** A resource as the plan report shows it. */
export interface ReportResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  /** Inputs with unknown values, secrets and assets shown as short markers. */
  inputs: Record<string, unknown>;
  /** URNs of the resources it waits for (`dependsOn` and the outputs its inputs use). */
  dependencies: string[];
}

export interface PlanReport {
  project: string;
  stack: string;
  program: string;
  config: string;
  resources: ReportResource[];
  violations: Violation[];
}

export function countByLevel(report: PlanReport): { mandatory: number; advisory: number } {
  const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return { mandatory, advisory: report.violations.length - mandatory };
}

/** The resource tree, children under their parents, each line marked with its findings. */
export function renderTree(report: PlanReport): string {
  const children = new Map<string, ReportResource[]>();
  const known = new Set(report.resources.map((r) => r.urn));
  const roots: ReportResource[] = [];
  for (const resource of report.resources) {
    if (resource.parent && known.has(resource.parent)) {
      children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
    } else {
      roots.push(resource);
    }
  }
  const marks = (urn: string) => {
    const found = report.violations.filter((v) => v.urn === urn);
    const mandatory = found.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = found.length - mandatory;
    const parts = [mandatory ? `${mandatory} mandatory` : "", advisory ? `${advisory} advisory` : ""].filter(Boolean);
    return parts.length ? `  [${parts.join(", ")}]` : "";
  };
  const lines = [`${report.project}-${report.stack}  (pulumi:pulumi:Stack)`];
  const walk = (nodes: ReportResource[], indent: string) => {
    nodes.forEach((node, index) => {
      const last = index === nodes.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${node.type}  ${node.name}${marks(node.urn)}`);
      walk(children.get(node.urn) ?? [], `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(roots, "");
  return lines.join("\n");
}

export function renderViolations(report: PlanReport): string {
  const { mandatory, advisory } = countByLevel(report);
  if (report.violations.length === 0) {
    return "No policy violations.";
  }
  const ordered = [...report.violations].sort((a, b) =>
    a.enforcementLevel === b.enforcementLevel ? 0 : a.enforcementLevel === "mandatory" ? -1 : 1,
  );
  const lines = [`Policy violations: ${mandatory} mandatory, ${advisory} advisory`];
  for (const v of ordered) {
    lines.push("", `  ${v.enforcementLevel.padEnd(9)} ${v.rule}`, `            ${v.urn}`, `            ${v.message}`);
  }
  return lines.join("\n");
}
