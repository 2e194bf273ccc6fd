import * as pulumi from "@pulumi/pulumi";

/** A resource the program registered, with the inputs it was given. */
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The provider reference (`<urn>::<id>`) it is created with, when it names one. */
  provider?: string;
}

export type InvokeHandler = (inputs: Record<string, unknown>) => Record<string, unknown>;

/** Plausible offline answers for the invokes a gpufleet program makes. */
export const defaultInvokes: Record<string, InvokeHandler> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: "123456789012",
    arn: "arn:aws:iam::123456789012:user/test",
    userId: "AIDATEST",
    id: "123456789012",
  }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
  "aws:index/getRegion:getRegion": () => ({ name: "us-east-1", region: "us-east-1", id: "us-east-1" }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: ["us-east-1a", "us-east-1b", "us-east-1c"],
    zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
    id: "us-east-1",
  }),
};

/** Outputs the mocks add to a resource, so ARNs, URLs and names look like AWS's. */
function synthesizedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const account = "123456789012";
  const region = "us-east-1";
  switch (type) {
    case "aws:sqs/queue:Queue": {
      const queueName = (inputs.name as string | undefined) ?? name;
      return {
        name: queueName,
        arn: `arn:aws:sqs:${region}:${account}:${queueName}`,
        url: `https://sqs.${region}.amazonaws.com/${account}/${queueName}`,
      };
    }
    case "aws:iam/role:Role":
      return { name: (inputs.name as string | undefined) ?? name, arn: `arn:aws:iam::${account}:role/${name}` };
    case "aws:s3/bucket:Bucket": {
      const bucket = `${(inputs.bucketPrefix as string | undefined) ?? `${name}-`}0123abcd`;
      return { bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::${account}:policy/${name}` };
    case "aws:eks/nodeGroup:NodeGroup": {
      // EKS names a node group's ASG `eks-<node group>-<uuid>`: the uuid is not derivable, so tests see a fixed one.
      const nodeGroupName = (inputs.nodeGroupName as string | undefined) ?? name;
      return {
        nodeGroupName,
        arn: `arn:aws:eks:${region}:${account}:nodegroup/${nodeGroupName}`,
        resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d` }] }],
      };
    }
    default:
      return { arn: `arn:aws:mock:${region}:${account}:${type.split(":").pop()?.toLowerCase()}/${name}` };
  }
}

/** What the program told the engine about a resource besides its inputs. */
export interface RegistrationOptions {
  urn: string;
  /** URNs it waits for: dependsOn (components expanded) and the resources whose outputs its inputs use. */
  dependencies: string[];
  ignoreChanges: string[];
}

export interface MockRecorder {
  resources: RecordedResource[];
  /** Registration options by `<type>::<name>`. */
  registrations: Map<string, RegistrationOptions>;
  /** The registration of the one resource of a type with a name. */
  registration(type: string, name: string): RegistrationOptions;
  invokes: { token: string; inputs: Record<string, unknown> }[];
  /**
   * Invokes nobody answered. The engine drops a mock's error message on the way back to
   * the program, so tests check this list to see which lookup failed.
   */
  unknownInvokes: string[];
  /** Every resource of a type, e.g. "aws:sqs/queue:Queue". */
  ofType(type: string): RecordedResource[];
  /** The one resource of a type with a name; throws when there is not exactly one. */
  one(type: string, name: string): RecordedResource;
}

/**
 * Installs Pulumi runtime mocks that record every resource and answer only the invokes
 * it knows: an unknown invoke throws, naming its token, so a program cannot quietly
 * depend on a cloud lookup the tests never answered.
 */
export function installMocks(extraInvokes: Record<string, InvokeHandler> = {}): MockRecorder {
  const invokeHandlers = { ...defaultInvokes, ...extraInvokes };
  const recorder: MockRecorder = {
    resources: [],
    registrations: new Map(),
    registration: (type, name) => {
      const found = recorder.registrations.get(`${type}::${name}`);
      if (!found) throw new Error(`no registration of ${type} ${name}`);
      return found;
    },
    invokes: [],
    unknownInvokes: [],
    ofType: (type) => recorder.resources.filter((r) => r.type === type),
    one: (type, name) => {
      const found = recorder.resources.filter((r) => r.type === type && r.name === name);
      if (found.length !== 1) {
        const names = recorder.ofType(type).map((r) => r.name);
        throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`);
      }
      return found[0] as RecordedResource;
    },
  };
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        recorder.resources.push({
          type: args.type,
          name: args.name,
          inputs,
          ...(args.provider ? { provider: args.provider } : {}),
        });
        return {
          id: `${args.name}-id`,
          state: { ...inputs, ...synthesizedOutputs(args.type, args.name, inputs) },
        };
      },
      call(args) {
        const handler = invokeHandlers[args.token];
        if (!handler) {
          recorder.unknownInvokes.push(args.token);
          throw new Error(`unexpected invoke ${args.token}: the mocks give no answer for it`);
        }
        const inputs = args.inputs as Record<string, unknown>;
        recorder.invokes.push({ token: args.token, inputs });
        return handler(inputs);
      },
    },
    "gpufleet",
    "test",
    false,
  );
  recordRegistrations(recorder.registrations);
  return recorder;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
}
type RegisterCallback = (error: unknown, response?: { getUrn(): string }) => void;
interface MonitorLike {
  registerResource(request: RegisterRequest, callback: RegisterCallback): void;
}

/** Wraps the mock monitor to keep what the mocks' newResource is not told: URN, dependencies, ignoreChanges. */
function recordRegistrations(into: Map<string, RegistrationOptions>): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const entry: RegistrationOptions = {
      urn: "",
      dependencies: [...new Set(request.getDependenciesList())],
      ignoreChanges: request.getIgnorechangesList(),
    };
    into.set(`${request.getType()}::${request.getName()}`, entry);
    register(request, (error, response) => {
      if (response) entry.urn = response.getUrn();
      callback(error, response);
    });
  };
}

/** Resolves an output in a test (never assert inside `.apply()`, which may not run). */
export function resolveOutput<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((value) => resolve(value as T)));
}
