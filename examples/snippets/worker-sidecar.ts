/** docs/worker.md: a plain HTTP model server behind the worker sidecar, and a client calling it. */
import { GpuCluster } from "gpufleet";

const cluster = new GpuCluster("llm", {
  newCluster: { endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] } },
  pools: [
    {
      name: "spot-24g",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      minNodes: 0,
      maxNodes: 8,
      slicesPerGpu: 2,
    },
    {
      name: "ondemand",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      minNodes: 0,
      maxNodes: 4,
      slicesPerGpu: 2,
    },
  ],
});

// snippet-start
import { ModelEndpoint } from "gpufleet";
import { connect, endpointFromOutputs } from "gpufleet/client";

const chat = new ModelEndpoint("chat", {
  cluster,
  image: "vllm/vllm-openai:v0.6.3", // the model server: HTTP only, no queue code
  args: ["--model", "acme/chat-7b", "--port", "8000"],
  gpuMemoryGiB: 10,
  profile: { secondsPerRequest: 2, concurrencyPerReplica: 8, modelLoadSeconds: 60, sloSeconds: 10 },
  sidecar: {
    workerImage: "registry.example.com/gpufleet-worker:0.1.0", // built from the repository's Dockerfile
    port: 8000,
    protocol: "openai",
    results: { readerRoleArns: ["arn:aws:iam::123456789012:role/chat-client"], expireAfterDays: 7 },
  },
});
export const chatClient = chat.client; // { queueUrl, resultsUri, region }

// In a client program (running as chat-client), given that stack output or the same plain values:
export async function ask(outputs: Record<string, unknown>, question: string) {
  const endpoint = connect(endpointFromOutputs(outputs));
  const id = await endpoint.submit({ messages: [{ role: "user", content: question }], stream: true });
  for await (const part of endpoint.stream(id, { timeoutSeconds: 120 })) console.log(part.events); // a preview
  return endpoint.result(id, { timeoutSeconds: 120 }); // { status, output: every event in order, … }
}
// snippet-end
