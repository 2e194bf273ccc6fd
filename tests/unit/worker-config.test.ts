import { afterEach, describe, expect, it, vi } from "vitest";
import { parseInvokeArgs } from "../../cli/invoke";
import { main } from "../../cli/main";
import { parseWorkerArgs } from "../../cli/worker";
import { ConfigError, connect, endpointFromOutputs } from "../../client/index";
import { PartPublisher, type ResultWriter } from "../../worker/results";
import { capture } from "../support/capture";

const ENV = {
  GPUFLEET_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/chat",
  GPUFLEET_RESULTS_URI: "s3://acme-results/chat/",
  GPUFLEET_VISIBILITY_TIMEOUT_SECONDS: "60",
  GPUFLEET_CONCURRENCY: "4",
  GPUFLEET_SHUTDOWN_SECONDS: "90",
};

describe("gpufleet worker settings", () => {
  it("reads the worker contract's environment, with flags taking precedence", () => {
    const config = parseWorkerArgs(["--model-url", "http://127.0.0.1:8000/", "--concurrency", "8"], ENV);
    expect(config).toEqual({
      queueUrl: ENV.GPUFLEET_QUEUE_URL,
      results: { bucket: "acme-results", prefix: "chat/" },
      modelUrl: "http://127.0.0.1:8000",
      protocol: "json",
      routes: { invokePath: "/invocations", healthPath: "/ping" },
      concurrency: 8,
      visibilityTimeoutSeconds: 60,
      maxProcessingSeconds: 60,
      shutdownSeconds: 90,
      healthPort: 8081,
      streamFlushMillis: 500,
    });
  });

  it("builds the results URI from bucket and prefix when only those are set", () => {
    const { GPUFLEET_RESULTS_URI: _uri, ...env } = ENV;
    const config = parseWorkerArgs(["--model-url", "http://m:1"], {
      ...env,
      GPUFLEET_RESULTS_BUCKET: "b-1",
      GPUFLEET_RESULTS_PREFIX: "p/",
    });
    expect(config).toMatchObject({ results: { bucket: "b-1", prefix: "p/" } });
  });

  it.each([
    [[], ENV, "--model-url (or GPUFLEET_MODEL_URL) is required"],
    [
      ["--model-url", "http://m:1"],
      {},
      "--queue-url (or GPUFLEET_QUEUE_URL) is required\n--results-uri (or GPUFLEET_RESULTS_URI) is required",
    ],
    [
      ["--model-url", "http://m:1/predict"],
      ENV,
      '--model-url ("http://m:1/predict") must be http(s)://host:port with no path',
    ],
    [["--model-url", "http://m:1", "--concurrency", "0"], ENV, '--concurrency ("0") must be an integer from 1 to 1000'],
    [
      ["--model-url", "http://m:1"],
      { ...ENV, GPUFLEET_VISIBILITY_TIMEOUT_SECONDS: "soon" },
      'GPUFLEET_VISIBILITY_TIMEOUT_SECONDS ("soon") must be an integer from 1 to 43200',
    ],
    [
      ["--model-url", "http://m:1", "--protocol", "grpc"],
      ENV,
      '--protocol ("grpc") must be one of json, openai, kserve',
    ],
    [
      ["--model-url", "http://m:1", "--protocol", "kserve"],
      ENV,
      "--model-name (or GPUFLEET_MODEL_NAME) is required by protocol kserve, for /v2/models/<name>/infer",
    ],
    [["--model-url", "http://m:1", "--health-path", "ping"], ENV, "--health-path (\"ping\") must start with '/'"],
    [
      ["--model-url", "http://m:1", "--results-uri", "bucket/x"],
      ENV,
      '--results-uri ("bucket/x") must look like s3://bucket/prefix/',
    ],
  ])("refuses %j", (argv, env, message) => {
    expect(() => parseWorkerArgs(argv, env)).toThrow(`invalid worker settings:\n${message}`);
  });

  it("refuses an unknown flag", () => {
    expect(() => parseWorkerArgs(["--model-url", "http://m:1", "--bogus"], ENV)).toThrow(
      "invalid options:\n--bogus is not an option (see gpufleet worker --help)",
    );
  });
});

describe("gpufleet worker and invoke on the command line", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([["worker"], ["invoke"]])("%s --help prints usage and exits 0", async (name) => {
    const io = capture();
    expect(await main([name, "--help"])).toBe(0);
    expect(io.out()).toContain(`Usage: gpufleet ${name}`);
  });

  it("exits 2 naming the problem on bad input", async () => {
    const io = capture();
    expect(await main(["invoke", "--queue-url", "https://q", "--results-uri", "s3://bkt/p/", "--data", "{oops"])).toBe(
      2,
    );
    expect(io.err()).toMatch(/^gpufleet invoke: --data is not valid JSON/);
  });

  it("reads --data from a file with @, and checks the other flags", () => {
    const options = parseInvokeArgs(
      ["--queue-url", "https://q", "--results-uri", "s3://bkt/p/", "--data", "@req.json", "--wait", "--timeout", "30"],
      (path) => (path === "req.json" ? '{"n": 5}' : ""),
    );
    expect(options).toEqual({
      queueUrl: "https://q",
      resultsUri: "s3://bkt/p/",
      body: '{"n": 5}',
      wait: true,
      stream: false,
      timeoutSeconds: 30,
    });
    expect(() => parseInvokeArgs(["--results-uri", "s3://bkt/p/", "--data", "{}"])).toThrow(
      "invalid options:\n--queue-url is required",
    );
    const client = { queueUrl: "https://q", resultsUri: "s3://bkt/p/", region: "eu-west-1" };
    expect(parseInvokeArgs(["--endpoint", JSON.stringify(client), "--data", "{}"])).toMatchObject(client);
    expect(() => parseInvokeArgs(["--endpoint", "{}", "--queue-url", "q", "--data", "{}"])).toThrow(
      "invalid options:\n--endpoint excludes --queue-url and --results-uri: give one or the other",
    );
    expect(() => parseInvokeArgs(["--endpoint", '{"queueUrl":"q"}', "--data", "{}"])).toThrow(
      "invalid endpoint outputs:\nresultsUri (undefined) must be a string (ModelEndpoint's `client` output has it)",
    );
    expect(() =>
      parseInvokeArgs(["--queue-url", "q", "--results-uri", "s3://bkt/", "--data", "{}", "--timeout=-1"]),
    ).toThrow("invalid options:\n--timeout (-1) must be a positive number of seconds");
  });
});

describe("the client SDK's endpoint", () => {
  it("reads ModelEndpoint's client output or plain values", () => {
    const client = { queueUrl: "https://q", resultsUri: "s3://bkt/p/", region: "eu-west-1" };
    expect(endpointFromOutputs({ client, other: 1 })).toEqual(client);
    expect(endpointFromOutputs({ queueUrl: "https://q", resultsUri: "s3://bkt/p/" })).toEqual({
      queueUrl: "https://q",
      resultsUri: "s3://bkt/p/",
    });
    expect(() => endpointFromOutputs({ queueUrl: "https://q" })).toThrow(ConfigError);
  });

  it("refuses a bad results URI and a dedupId that cannot be a key", async () => {
    expect(() => connect({ queueUrl: "https://q", resultsUri: "bkt/p" })).toThrow(
      new ConfigError("results URI", [
        { field: "resultsUri", value: "bkt/p", rule: "must look like s3://bucket/prefix/" },
      ]),
    );
    const client = connect({ queueUrl: "https://q", resultsUri: "s3://bkt/p/", region: "us-east-1" });
    await expect(client.submit({}, { dedupId: "a/b" })).rejects.toThrow(
      "dedupId (\"a/b\") must be 1 to 128 letters, digits, '-', '_' or '.'",
    );
  });
});

describe("publishing a streamed answer's parts", () => {
  function fakeWriter() {
    const parts: { part: number; events: unknown[] }[] = [];
    const writer = {
      putPart: async (p: { part: number; events: unknown[] }) => {
        parts.push({ part: p.part, events: p.events });
      },
    } as unknown as ResultWriter;
    return { writer, parts };
  }

  it("publishes the first events at once, gathers the rest per interval, numbers parts in order", async () => {
    let now = 1000;
    const { writer, parts } = fakeWriter();
    const publisher = new PartPublisher(writer, "r", 500, () => now);
    publisher.add([1]);
    now += 100;
    publisher.add([2]);
    publisher.add([3]);
    now += 450;
    publisher.add([4]);
    publisher.add([5]);
    expect(await publisher.finish()).toBe(3);
    expect(parts).toEqual([
      { part: 1, events: [1] },
      { part: 2, events: [2, 3, 4] },
      { part: 3, events: [5] },
    ]);
  });

  it("writes nothing after it is cancelled", async () => {
    const { writer, parts } = fakeWriter();
    const publisher = new PartPublisher(writer, "r", 60_000);
    publisher.add([1]);
    publisher.add([2]);
    publisher.cancel();
    expect(await publisher.finish()).toBe(1);
    expect(parts).toEqual([{ part: 1, events: [1] }]);
  });
});
