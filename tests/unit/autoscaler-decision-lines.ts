import { createHash } from "node:crypto";
import type { AutoscalerSettings, EndpointInput, ReplicaDecision } from "../../functions/autoscaler/core/types";

type Decide = (
  input: { nowMs: number; endpoints: EndpointInput[] },
  settings: Partial<AutoscalerSettings>,
) => ReplicaDecision[];

/**
 * One line per decision: settings variant, endpoint, replicas, held, model, and a digest of
 * everything else (every reason and every detail figure, to the last bit), so a fixture stays
 * small yet any change to a decision or its explanation shows, on the line of the endpoint.
 */
export function decisionLines(
  decide: Decide,
  nowMs: number,
  endpoints: EndpointInput[],
  variants: Partial<AutoscalerSettings>[],
): string[] {
  return variants.flatMap((settings, v) =>
    decide({ nowMs, endpoints }, settings).map((d) => {
      const digest = createHash("sha256")
        .update(JSON.stringify({ reasons: d.reasons, detail: d.detail ?? null }))
        .digest("hex")
        .slice(0, 16);
      return `${v} ${d.name} ${d.replicas} ${d.held ? "held" : "decided"} ${d.detail?.model ?? "-"} ${digest}`;
    }),
  );
}
