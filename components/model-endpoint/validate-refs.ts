import type { Problem } from "../../functions/problems";
import type { ClusterRef } from "../types";
import type { ReadinessProbeArgs } from "./args";

/** The cluster's identity settings: a known mode, and the OIDC provider IRSA needs. */
export function clusterRefProblems(cluster: ClusterRef): Problem[] {
  const problems: Problem[] = [];
  if (cluster.identity !== "pod-identity" && cluster.identity !== "irsa") {
    problems.push({ field: "cluster.identity", value: cluster.identity, rule: 'must be "pod-identity" or "irsa"' });
  }
  if (cluster.identity === "irsa") {
    for (const key of ["oidcProviderArn", "oidcProviderUrl"] as const) {
      if (!cluster[key])
        problems.push({ field: `cluster.${key}`, value: cluster[key], rule: "is required under IRSA" });
    }
  }
  return problems;
}

const HANDLERS = ["httpGet", "tcpSocket", "exec"] as const;

/** One way to probe, on a port the container can have. */
export function readinessProbeProblems(probe: ReadinessProbeArgs | undefined): Problem[] {
  if (probe === undefined) return [];
  const problems: Problem[] = [];
  const given = HANDLERS.filter((h) => probe[h] !== undefined);
  if (given.length !== 1) {
    problems.push({
      field: "readinessProbe",
      value: given,
      rule: `must set exactly one of ${HANDLERS.join(", ")}`,
    });
  }
  for (const h of ["httpGet", "tcpSocket"] as const) {
    const port = probe[h]?.port;
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65_535)) {
      problems.push({
        field: `readinessProbe.${h}.port`,
        value: port,
        rule: "must be a whole number between 1 and 65535",
      });
    }
  }
  return problems;
}
