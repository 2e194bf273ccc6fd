/**
 * `gpufleet packer`: keeps every endpoint pod's deletion cost at its node's occupancy, so
 * scale-in empties the least used GPU node first and the Cluster Autoscaler can remove it.
 */
import { MAX_PACK_INTERVAL_SECONDS, POD_DELETION_COST_ANNOTATION } from "../functions/packing";
import { PACKER_DEFAULTS, type PackerFlags, parsePackerConfig } from "../packer/config";
import { KubeClient } from "../packer/kube";
import { runPacker } from "../packer/main";
import { jsonLog } from "../worker/log";
import { type Command, parseOptions } from "./command";

const HELP = `Usage: gpufleet packer [options]

Runs in the cluster (GpuCluster's scaleInPacker deploys it). Every interval it lists
the pods the selector matches and sets each one's ${POD_DELETION_COST_ANNOTATION}
annotation to 1000 times the number of those pods on its node, plus a tie-break
under 1000 fixed per node. The ReplicaSet controller deletes the cheapest pods
first, so scale-in empties the least occupied GPU node, one node at a time, and the
Cluster Autoscaler removes it, instead of leaving one replica on each node. Only
changed values are written. Logs are JSON lines; SIGTERM stops it.

Options:
  --interval-seconds N   seconds between passes (1-${MAX_PACK_INTERVAL_SECONDS}); default ${PACKER_DEFAULTS.intervalSeconds}
  --selector SELECTOR    label selector of the pods to pack; default ${PACKER_DEFAULTS.selector}
  --api-server URL       https://host:port; default from KUBERNETES_SERVICE_HOST/PORT
  --token-file PATH      bearer token, re-read every request; default ${PACKER_DEFAULTS.tokenFile}
  --ca-file PATH         API server CA; default ${PACKER_DEFAULTS.caFile}
  -h, --help             show this help

Needs list and patch on pods in every namespace it packs.
`;

export function parsePackerArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseOptions("packer", {
    args: argv,
    options: {
      "interval-seconds": { type: "string" },
      selector: { type: "string" },
      "api-server": { type: "string" },
      "token-file": { type: "string" },
      "ca-file": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help" as const;
  const { help: _help, ...flags } = values;
  return parsePackerConfig(env, flags as PackerFlags);
}

export const packerCommand: Command = {
  name: "packer",
  summary: "in-cluster scale-in packer: pod deletion cost from node occupancy",
  async run(argv) {
    const config = parsePackerArgs(argv, process.env);
    if (config === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    const log = jsonLog();
    let kube: KubeClient;
    try {
      kube = new KubeClient(config);
    } catch (error) {
      log("error", "cannot read the service account token or the API server CA", {
        tokenFile: config.tokenFile,
        caFile: config.caFile,
        error: (error as Error).message,
      });
      return 1;
    }
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      log("info", "signal", { signal });
      stop.abort();
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    try {
      return await runPacker(config, kube, log, stop.signal);
    } finally {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    }
  },
};
