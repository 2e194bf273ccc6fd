import { createRequire } from "node:module";
import { resolve as resolvePath, sep } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { register } from "tsx/cjs/api";
import { ConfigError, isConfigError, OPTIONS } from "../../functions/problems";
import { DEFAULT_ACCOUNT, type InvokeHandler, type OfflineAccount, offlineInvokes } from "./invokes";
import { synthesizedOutputs } from "./outputs";
import { toPolicyWire, type Wire } from "./wire";

/** A resource the program registered, as the engine would see it during a preview. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** False for component resources. */
  custom: boolean;
  parent?: string;
  /** Provider reference (`<urn>::<id>`) for an explicit provider; absent for the default one. */
  provider?: string;
  /** Inputs in the engine's wire form (see wire.ts). */
  inputs: Record<string, Wire>;
  /**
   * URNs this resource waits for, as the engine records them: its `dependsOn` (a component
   * expanded to the resources under it) and every resource whose outputs its inputs use.
   */
  dependencies: string[];
}

export interface OfflineRunOptions {
  /** A program directory (its index.ts) or file. */
  program: string;
  project: string;
  stack: string;
  /** Config as the language host passes it: `project:key` -> string (objects as JSON). */
  config: Record<string, string>;
  secretKeys?: string[];
  account?: OfflineAccount;
  /** Extra or replacement invoke answers, by token. */
  invokes?: Record<string, InvokeHandler>;
}

export interface OfflineRun {
  resources: PlannedResource[];
  /** Every invoke the program made, by token, in order. */
  invokes: string[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
}
type RegisterCallback = (error: unknown, response?: { getUrn(): string }) => void;
interface MonitorLike {
  registerResource(request: RegisterRequest, callback: RegisterCallback): void;
}
interface RuntimeInternals {
  waitForRPCs(): Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The Pulumi runtime is one per process: runs are serialized so two plans never share it.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a Pulumi program in-process against runtime mocks in preview mode: no engine, no
 * cloud, no credentials. Records every resource registration (with its URN, parent and
 * inputs) and answers the invokes it knows; an invoke it does not know fails the run with
 * an error that names it.
 */
export function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const run = queue.then(() => runExclusive(options));
  queue = run.catch(() => undefined);
  return run;
}

async function runExclusive(options: OfflineRunOptions): Promise<OfflineRun> {
  const account = options.account ?? DEFAULT_ACCOUNT;
  const handlers = { ...offlineInvokes(account), ...options.invokes };
  const resources: PlannedResource[] = [];
  const invokes: string[] = [];
  const unknownInvokes: string[] = [];
  const failures: string[] = [];

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const id = args.custom ? `${args.name}-id` : "";
        return { id, state: { ...inputs, ...synthesizedOutputs(args.type, args.name, inputs, account) } };
      },
      call(args) {
        invokes.push(args.token);
        const handler = handlers[args.token];
        if (!handler) {
          // Answer with nothing rather than throw: the engine would drop the message, and the
          // rejection would surface as an unrelated serialization error. The run fails below, naming it.
          unknownInvokes.push(args.token);
          return {};
        }
        return handler(args.inputs as Record<string, unknown>);
      },
    },
    options.project,
    options.stack,
    true,
  );
  recordRegistrations(resources, failures);
  pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);

  const onRejection = (reason: unknown) => failures.push(errorText(reason));
  process.on("unhandledRejection", onRejection);
  // tsx's namespaced loaders would isolate runs, but they append "?namespace=" to every
  // resolved path, which breaks packages that locate files through require.resolve (esbuild
  // finds its binary that way). Plain hooks plus a cache purge give the same fresh run.
  const nativeRequire = createRequire(__filename);
  const unregister = ".ts" in nativeRequire.extensions ? undefined : register();
  try {
    const exported = loadProgram(nativeRequire, options.program);
    const main = typeof exported === "function" ? exported : (exported as { default?: unknown } | undefined)?.default;
    if (typeof main === "function") {
      await (main as () => unknown)();
    }
    await (pulumi.runtime as unknown as RuntimeInternals).waitForRPCs();
  } catch (error) {
    // A refused stack config is the program's own copy of ConfigError (it is loaded afresh),
    // recognised by shape and passed on as is.
    if (isConfigError(error)) throw error;
    throw programFailed(options.program, errorText(error));
  } finally {
    unregister?.();
    process.off("unhandledRejection", onRejection);
  }
  if (unknownInvokes.length > 0) {
    const names = [...new Set(unknownInvokes)].join(", ");
    throw new ConfigError(OPTIONS, [
      {
        field: "program",
        value: options.program,
        rule: `calls invoke ${names}, which gpufleet plan cannot answer offline`,
      },
    ]);
  }
  if (failures.length > 0) {
    throw programFailed(options.program, failures[0] ?? "");
  }
  return { resources, invokes };
}

/**
 * A program that threw (or whose resource registration failed): input the plan cannot run,
 * so the one ConfigError, exit code 2 on the command line, with the program's own message.
 */
function programFailed(program: string, message: string): ConfigError {
  return new ConfigError(OPTIONS, [{ field: "program", value: program, rule: `failed: ${message}` }]);
}

/** Loads the program afresh: project modules a previous run loaded are dropped, packages are kept. */
function loadProgram(load: NodeJS.Require, program: string): unknown {
  for (const key of Object.keys(load.cache)) {
    if (!key.includes(`${sep}node_modules${sep}`)) delete load.cache[key];
  }
  try {
    return load(resolvePath(program));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" && errorText(error).includes(resolvePath(program))) {
      throw new ConfigError(OPTIONS, [
        {
          field: "program",
          value: program,
          rule: "is not a program (expected a directory with index.ts, or a .ts file)",
        },
      ]);
    }
    throw error;
  }
}

/** Wraps the mock monitor so each registration is recorded with what the mocks are not told: URN and parent. */
function recordRegistrations(resources: PlannedResource[], failures: string[]): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const record: PlannedResource = {
      urn: "",
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      inputs: toPolicyWire(request.getObject()?.toJavaScript() ?? {}) as Record<string, Wire>,
      dependencies: [...new Set(request.getDependenciesList())],
    };
    if (request.getParent()) {
      record.parent = request.getParent();
    }
    if (request.getProvider()) {
      record.provider = request.getProvider();
    }
    resources.push(record);
    register(request, (error, response) => {
      if (error) {
        failures.push(`registering ${record.type} "${record.name}" failed: ${errorText(error)}`);
      } else if (response) {
        record.urn = response.getUrn();
      }
      callback(error, response);
    });
  };
}
