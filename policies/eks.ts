import { MAX_PUBLIC_API_ADDRESSES, publicAccessTooWide } from "../functions/cidr";
import { configOf, type GpufleetResourceRule, validateTypes } from "./policy-kit";
import { asArray, asObject, asString, asStringArray, path } from "./props";

const CLUSTER = "aws:eks/cluster:Cluster";

export const DEFAULT_CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"];

function clusterName(props: Record<string, unknown>, resourceName: string): string {
  return asString(props.name) ?? resourceName;
}

export const eksSecretsEncrypted: GpufleetResourceRule = {
  name: "eks-secrets-encrypted",
  description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
  enforcementLevel: "mandatory",
  validateResource: validateTypes([CLUSTER], (props, args, report) => {
    const config = asObject(props.encryptionConfig);
    const encryptsSecrets = asStringArray(config?.resources).includes("secrets");
    const keyArn = asString(path(config, "provider", "keyArn"));
    if (!encryptsSecrets || !keyArn) {
      report(
        `EKS cluster "${clusterName(props, args.name)}" does not encrypt Kubernetes secrets: set encryptionConfig with resources ["secrets"] and provider.keyArn.`,
      );
    }
  }),
};

export const eksEndpointRestricted: GpufleetResourceRule = {
  name: "eks-endpoint-restricted",
  description:
    "The EKS API endpoint is private, or public only to listed networks that together span at most maxPublicAddresses (a /16 by default; never the internet).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxPublicAddresses: {
        type: "integer",
        minimum: 1,
        default: MAX_PUBLIC_API_ADDRESSES,
        description: "Most addresses the public-access CIDRs may cover together.",
      },
    },
  },
  validateResource: validateTypes([CLUSTER], (props, args, report) => {
    const vpc = asObject(props.vpcConfig);
    // EKS's defaults: a public endpoint, open to 0.0.0.0/0.
    const isPublic = vpc?.endpointPublicAccess !== false;
    if (!isPublic) return;
    const { maxPublicAddresses } = configOf(args, { maxPublicAddresses: MAX_PUBLIC_API_ADDRESSES });
    const cidrs = vpc?.publicAccessCidrs === undefined ? ["0.0.0.0/0"] : asStringArray(vpc.publicAccessCidrs);
    const name = clusterName(props, args.name);
    if (cidrs.length === 0 || cidrs.some((c) => /^::\/0$|^0\.0\.0\.0\/0$/.test(c))) {
      report(
        `EKS cluster "${name}" API endpoint is open to the internet: set vpcConfig.endpointPublicAccess to false or publicAccessCidrs to your networks.`,
      );
      return;
    }
    const tooWide = publicAccessTooWide(cidrs, maxPublicAddresses);
    if (tooWide) {
      report(
        `EKS cluster "${name}" API endpoint public CIDRs (${cidrs.join(", ")}) ${tooWide}: list only the networks that need the API.`,
      );
    }
  }),
};

export const eksControlPlaneLogs: GpufleetResourceRule = {
  name: "eks-control-plane-logs",
  description: "EKS clusters ship the control plane logs an incident review needs to CloudWatch.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requiredLogTypes: {
        type: "array",
        items: { type: "string", enum: ["api", "audit", "authenticator", "controllerManager", "scheduler"] },
        default: DEFAULT_CONTROL_PLANE_LOGS,
        description: "Control plane log types every cluster enables.",
      },
    },
  },
  validateResource: validateTypes([CLUSTER], (props, args, report) => {
    const { requiredLogTypes } = configOf(args, { requiredLogTypes: DEFAULT_CONTROL_PLANE_LOGS });
    const enabled = asStringArray(asArray(props.enabledClusterLogTypes));
    const missing = requiredLogTypes.filter((t) => !enabled.includes(t));
    if (missing.length > 0) {
      report(
        `EKS cluster "${clusterName(props, args.name)}" does not ship control plane logs ${missing.join(", ")}: add them to enabledClusterLogTypes.`,
      );
    }
  }),
};
