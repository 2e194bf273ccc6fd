import type { TestProject } from "vitest/node";
import { startMotoServer } from "./moto-server";

declare module "vitest" {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

/** Starts one moto server for the integration suite and hands its address to the workers. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMotoServer();
  project.provide("awsEndpoint", server.endpoint);
  return () => server.stop();
}
