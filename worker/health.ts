/**
 * The sidecar's own health server: /healthz answers while the process runs (liveness);
 * /readyz only while the model's health route answers and the worker is not shutting down
 * (readiness: the replica counts as serving only once its model is loaded).
 */
import { createServer, type Server } from "node:http";

export interface HealthSource {
  ready(): Promise<boolean>;
}

export function startHealthServer(port: number, source: HealthSource): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const answer = (ok: boolean) => {
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" });
      res.end(ok ? "ok\n" : "not ready\n");
    };
    if (path === "/healthz") return answer(true);
    if (path === "/readyz") {
      source.ready().then(answer, () => answer(false));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}
