/**
 * The two Kubernetes API calls the packer makes (list pods, merge-patch a pod's annotation),
 * over HTTPS with the service account's bearer token and the cluster CA. Node's own https:
 * a client library would add megabytes to the image for two requests.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { isStopped, type PackedPod, POD_DELETION_COST_ANNOTATION } from "../functions/packing";
import { z } from "../functions/validation";
import type { PackerConfig } from "./config";

/** A non-2xx answer, with the API's own Status message. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    message: string,
  ) {
    super(`${method} ${path}: ${status} ${message}`);
    this.name = "KubeApiError";
  }
}

/** A request gets this long; a hung connection must not stop the loop forever. */
const REQUEST_TIMEOUT_MS = 30_000;
const PAGE_SIZE = 500;

const podListSchema = z.object({
  metadata: z.optional(z.object({ continue: z.optional(z.string()) })),
  items: z.array(
    z.object({
      metadata: z.object({
        name: z.string(),
        namespace: z.string(),
        deletionTimestamp: z.optional(z.nullable(z.string())),
        annotations: z.optional(z.nullable(z.record(z.string(), z.string()))),
      }),
      spec: z.optional(z.object({ nodeName: z.optional(z.nullable(z.string())) })),
      status: z.optional(z.object({ phase: z.optional(z.string()) })),
    }),
  ),
});

export class KubeClient {
  private readonly ca: Buffer;

  /** Reads the CA and the token once, so a pod without them fails at start rather than every pass. */
  constructor(private readonly config: PackerConfig) {
    this.ca = readFileSync(config.caFile);
    this.token();
  }

  /** Every pod the selector matches, across namespaces, page by page. */
  async listPods(): Promise<PackedPod[]> {
    const pods: PackedPod[] = [];
    let next: string | undefined;
    do {
      const query = new URLSearchParams({ labelSelector: this.config.selector, limit: String(PAGE_SIZE) });
      if (next) query.set("continue", next);
      const body = await this.call("GET", `/api/v1/pods?${query}`);
      const page = podListSchema.safeParse(JSON.parse(body));
      if (!page.success) throw new Error(`GET /api/v1/pods: not a PodList (${page.error.issues[0]?.message})`);
      for (const item of page.data.items) {
        pods.push({
          namespace: item.metadata.namespace,
          name: item.metadata.name,
          nodeName: item.spec?.nodeName || null,
          stopped: isStopped(item.metadata.deletionTimestamp, item.status?.phase),
          currentCost: item.metadata.annotations?.[POD_DELETION_COST_ANNOTATION],
        });
      }
      next = page.data.metadata?.continue || undefined;
    } while (next);
    return pods;
  }

  /** Sets one pod's deletion cost; false when the pod is already gone. */
  async setDeletionCost(namespace: string, name: string, cost: string): Promise<boolean> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    const patch = { metadata: { annotations: { [POD_DELETION_COST_ANNOTATION]: cost } } };
    try {
      await this.call("PATCH", path, JSON.stringify(patch), "application/merge-patch+json");
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }

  private token(): string {
    return readFileSync(this.config.tokenFile, "utf8").trim();
  }

  private call(method: string, path: string, body?: string, contentType?: string): Promise<string> {
    const token = this.token();
    const url = new URL(path, this.config.apiServer);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.ca,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(contentType ? { "content-type": contentType } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(text);
            else reject(new KubeApiError(status, method, url.pathname, statusMessage(text)));
          });
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`${method} ${url.pathname}: no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)),
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}

/** The `message` of a Kubernetes Status body, or the body itself (clipped). */
function statusMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === "string") return message;
  } catch {
    // Not JSON: a proxy's or load balancer's page.
  }
  return text.slice(0, 200);
}
