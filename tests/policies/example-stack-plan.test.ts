import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";

interface PlanResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
}
interface PlanJson {
  resources: PlanResource[];
  violations: { rule: string; enforcementLevel: string; urn: string; message: string }[];
}

/** Every URN a resource waits for, directly or through what it waits for. */
function closure(byUrn: Map<string, PlanResource>, urn: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(byUrn.get(urn)?.dependencies ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(byUrn.get(next)?.dependencies ?? []));
  }
  return seen;
}

const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);

// The gate a platform team puts in CI: the real CLI, on the shipped example stack, offline.
describe("gpufleet plan on the example stack (infra/ with Pulumi.example.yaml)", () => {
  let run: ReturnType<typeof spawnSync>;
  let report: PlanJson;
  let byUrn: Map<string, PlanResource>;
  const ofType = (type: string) => report.resources.filter((r) => r.type === type);

  beforeAll(() => {
    run = spawnSync(process.execPath, ["bin/gpufleet.cjs", "plan", "--json", "-"], {
      encoding: "utf8",
      timeout: 300_000,
    });
    report = JSON.parse(String(run.stdout)) as PlanJson;
    byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  }, 320_000);

  it("plans the whole stack and finds no mandatory violation", () => {
    expect(String(run.stderr)).not.toContain("Error");
    expect(run.status).toBe(0);
    const components = report.resources.filter((r) => r.type.startsWith("gpufleet:index:")).map((r) => r.type);
    expect(new Set(components)).toEqual(
      new Set([
        "gpufleet:index:GpuCluster",
        "gpufleet:index:ClusterAddons",
        "gpufleet:index:ModelEndpoint",
        "gpufleet:index:ModelWorkload",
        "gpufleet:index:FleetControl",
      ]),
    );
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("records each resource's dependencies as URNs of planned resources", () => {
    const queue = report.resources.find((r) => r.name === "chat-7b-queue");
    const dlq = report.resources.find((r) => r.name === "chat-7b-dlq");

    // The queue's redrive policy reads the DLQ's ARN: an output-use dependency.
    expect(queue?.dependencies).toContain(dlq?.urn);
    for (const resource of report.resources) {
      for (const dependency of resource.dependencies) expect(byUrn.has(dependency)).toBe(true);
    }
  });

  it("creates every KEDA custom resource after the release that installs its CRD", () => {
    const keda = ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "keda");
    const custom = report.resources.filter((r) => r.type.startsWith("kubernetes:keda.sh/"));

    expect(keda).toBeDefined();
    expect(custom.length).toBe(6);
    for (const resource of custom)
      expect([resource.name, closure(byUrn, resource.urn).has(keda?.urn ?? "")]).toEqual([resource.name, true]);
  });

  it("starts every pod template that uses an AWS identity after its Pod Identity association", () => {
    const associations = ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(associations.length).toBe(5);
    for (const association of associations) {
      const { namespace, serviceAccount } = association.inputs as { namespace: string; serviceAccount: string };
      const deployments = ofType("kubernetes:apps/v1:Deployment").filter(
        (d) =>
          at(d.inputs, "metadata", "namespace") === namespace &&
          at(d.inputs, "spec", "template", "spec", "serviceAccountName") === serviceAccount,
      );
      const releases = ofType("kubernetes:helm.sh/v3:Release").filter(
        (r) => r.inputs.namespace === namespace && JSON.stringify(r.inputs.values).includes(`"${serviceAccount}"`),
      );
      const consumers = [...deployments, ...releases];

      expect([association.name, consumers.length]).toEqual([association.name, 1]);
      for (const consumer of consumers) {
        expect([consumer.name, closure(byUrn, consumer.urn).has(association.urn)]).toEqual([consumer.name, true]);
      }
    }
  });

  it("has no Helm release waiting on something that waits on it", () => {
    for (const release of ofType("kubernetes:helm.sh/v3:Release")) {
      const waitsOn = closure(byUrn, release.urn);
      expect([release.name, waitsOn.has(release.urn)]).toEqual([release.name, false]);
    }
  });
});
