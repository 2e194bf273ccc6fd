/**
 * `gpufleet invoke`: sends one request to an endpoint and prints its id; with --wait the
 * result, with --stream each part as it is published, then the result.
 */
import { readFileSync } from "node:fs";
import { ClientError, connect, endpointFromOutputs } from "../client/index";
import { type Command, optionValue, parseOptions, usageError } from "./command";

const HELP = `Usage: gpufleet invoke (--endpoint JSON|@FILE | --queue-url URL --results-uri s3://BUCKET/PREFIX/) --data JSON|@FILE [options]

Sends one request to a ModelEndpoint's queue and prints its request id (stdout).
The endpoint's 'client' stack output carries the queue URL, results URI and region:
  pulumi stack output chatClient --json > chat.json
  gpufleet invoke --endpoint @chat.json --data '{"n": 42}' --wait

Options:
  --endpoint JSON|@FILE  the endpoint's 'client' output (queueUrl, resultsUri, region)
  --queue-url URL        the endpoint's request queue (instead of --endpoint)
  --results-uri URI      the endpoint's results location, s3://bucket/prefix/
  --region R             the queue's region (default: the endpoint's, else AWS_REGION)
  --data JSON|@FILE      the request body: inline JSON, or @ and a file holding it
  --dedup-id ID          request id to use (resubmitting with it overwrites the same result)
  --wait                 wait for the result and print it as JSON (stdout)
  --stream               print each streamed part as a JSON line as it arrives, then the result
  --timeout S            seconds --wait/--stream wait (default 300)
  -h, --help             show this help

Exit codes: 0 succeeded (or submitted), 1 the request failed (the model answered 4xx),
2 bad usage, 3 no result within --timeout.
`;

export interface InvokeOptions {
  queueUrl: string;
  resultsUri: string;
  region?: string;
  body: string;
  dedupId?: string;
  wait: boolean;
  stream: boolean;
  timeoutSeconds: number;
}

export function parseInvokeArgs(argv: string[], readFile: (path: string) => string = (p) => readFileSync(p, "utf8")) {
  const { values }: { values: Record<string, string | boolean | undefined> } = parseOptions("invoke", {
    args: argv,
    options: {
      endpoint: { type: "string" },
      "queue-url": { type: "string" },
      "results-uri": { type: "string" },
      region: { type: "string" },
      data: { type: "string" },
      "dedup-id": { type: "string" },
      wait: { type: "boolean" },
      stream: { type: "boolean" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help" as const;
  const need = (name: string): string => {
    const v = values[name];
    if (typeof v !== "string" || v === "") throw usageError({ field: `--${name}`, rule: "is required" });
    return v;
  };
  const inlineOrFile = (name: string): string => {
    const value = need(name);
    if (!value.startsWith("@")) return value;
    try {
      return readFile(value.slice(1));
    } catch (error) {
      throw usageError({
        field: `--${name}`,
        value,
        rule: `names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      });
    }
  };
  const parseJson = (name: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw usageError({ field: `--${name}`, rule: `is not valid JSON: ${(error as Error).message}` });
    }
  };
  const body = inlineOrFile("data");
  parseJson("data", body);
  let endpoint: { queueUrl: string; resultsUri: string; region?: string };
  if (values.endpoint !== undefined) {
    if (values["queue-url"] !== undefined || values["results-uri"] !== undefined)
      throw usageError({ field: "--endpoint", rule: "excludes --queue-url and --results-uri: give one or the other" });
    const outputs = parseJson("endpoint", inlineOrFile("endpoint"));
    endpoint = endpointFromOutputs(
      (typeof outputs === "object" && outputs !== null ? outputs : {}) as Record<string, unknown>,
    );
  } else endpoint = { queueUrl: need("queue-url"), resultsUri: need("results-uri") };
  const timeoutRaw = values.timeout as string | undefined;
  const timeoutSeconds = timeoutRaw === undefined ? 300 : Number(timeoutRaw);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw usageError({
      field: "--timeout",
      value: optionValue(timeoutRaw ?? ""),
      rule: "must be a positive number of seconds",
    });
  const options: InvokeOptions = {
    ...endpoint,
    body,
    wait: values.wait === true,
    stream: values.stream === true,
    timeoutSeconds,
  };
  if (typeof values.region === "string") options.region = values.region;
  if (typeof values["dedup-id"] === "string") options.dedupId = values["dedup-id"];
  return options;
}

async function invoke(o: InvokeOptions): Promise<number> {
  const client = connect({
    queueUrl: o.queueUrl,
    resultsUri: o.resultsUri,
    ...(o.region ? { region: o.region } : {}),
  });
  const requestId = await client.submit(o.body, o.dedupId ? { dedupId: o.dedupId } : {});
  if (!o.wait && !o.stream) {
    process.stdout.write(`${requestId}\n`);
    return 0;
  }
  process.stderr.write(`submitted ${requestId}; waiting up to ${o.timeoutSeconds} s\n`);
  try {
    if (o.stream) {
      for await (const part of client.stream(requestId, { timeoutSeconds: o.timeoutSeconds }))
        process.stdout.write(`${JSON.stringify(part)}\n`);
    }
    const result = await client.result(requestId, { timeoutSeconds: o.timeoutSeconds });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.status === "succeeded" ? 0 : 1;
  } catch (error) {
    if (error instanceof ClientError) {
      process.stderr.write(`gpufleet invoke: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

export const invokeCommand: Command = {
  name: "invoke",
  summary: "send a request to an endpoint's queue; print its id, or wait for its result",
  async run(argv) {
    const options = parseInvokeArgs(argv);
    if (options === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    return invoke(options);
  },
};
