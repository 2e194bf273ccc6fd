/**
 * The worker loop (imperative shell): long-polls the queue while a slot is free, forwards each
 * request to the model, writes its result, and only then deletes the message. Decisions come
 * from ./decide and the shared kernel; this file only sequences the calls.
 */
import { randomUUID } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { isValidRequestId, REQUEST_ID_ATTRIBUTE, type RequestResult } from "../functions/contract";
import { heartbeatIntervalMs, receiveBatchSize, shutdownPlan } from "../functions/queue-worker";
import type { WorkerConfig } from "./config";
import { decideMessage } from "./decide";
import type { Log } from "./log";
import { callModel, modelHealthy } from "./model";
import { PartPublisher, ResultWriter } from "./results";

interface Task {
  messageId: string;
  requestId: string;
  receipt: string;
  receivedAtMs: number;
  receiveCount: number;
  /** Aborts the model call when the request is released. */
  abort: AbortController;
  /** Past the model call: the result is being written, so releasing would only duplicate work. */
  writing: boolean;
  released: boolean;
  done: Promise<void>;
}

export interface WorkerDeps {
  sqs: SQSClient;
  s3: S3Client;
  log: Log;
}

const LONG_POLL_SECONDS = 20;

export class QueueWorker {
  private readonly tasks = new Map<string, Task>();
  private readonly writer: ResultWriter;
  private readonly poll = new AbortController();
  private stopping = false;
  private slotFreed: (() => void) | undefined;
  /** An id for this process in logs, so a request can be followed across replicas. */
  readonly workerId = randomUUID().slice(0, 8);

  constructor(
    private readonly config: WorkerConfig,
    private readonly deps: WorkerDeps,
  ) {
    this.writer = new ResultWriter(deps.s3, config.results);
  }

  get modelHealthUrl(): string {
    return `${this.config.modelUrl}${this.config.routes.healthPath}`;
  }

  async ready(): Promise<boolean> {
    return !this.stopping && (await modelHealthy(this.modelHealthUrl));
  }

  /** Receives until stop() is called, then returns once every in-flight request is finished or released. */
  async run(): Promise<void> {
    await this.waitForModel();
    const { log } = this.deps;
    log("info", "receiving", {
      workerId: this.workerId,
      queueUrl: this.config.queueUrl,
      concurrency: this.config.concurrency,
    });
    while (!this.stopping) {
      const batch = receiveBatchSize(this.config.concurrency, this.tasks.size);
      if (batch === 0) {
        await new Promise<void>((resolve) => {
          this.slotFreed = resolve;
        });
        continue;
      }
      let messages: Message[];
      try {
        messages = await this.receive(batch);
      } catch (error) {
        if (this.stopping) break;
        log("warn", "receive failed; retrying", { error: String(error) });
        await sleep(2000, this.poll.signal);
        continue;
      }
      for (const message of messages) this.start(message);
    }
  }

  /** SIGTERM: stop receiving, finish what fits in the grace period, release the rest. Resolves when all are settled. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.poll.abort();
    this.slotFreed?.();
    const { log } = this.deps;
    const inFlight = [...this.tasks.values()].filter((t) => !t.writing);
    const plan = shutdownPlan(
      inFlight.map((t) => ({ id: t.messageId, receivedAtMs: t.receivedAtMs })),
      Date.now(),
      { shutdownSeconds: this.config.shutdownSeconds, maxProcessingSeconds: this.config.maxProcessingSeconds },
    );
    log("info", "stopping", { workerId: this.workerId, finishing: plan.finish.length, releasing: plan.release.length });
    await this.release(plan.release);
    const all = Promise.allSettled([...this.tasks.values()].map((t) => t.done));
    const deadline = sleep(Math.max(0, plan.deadlineMs - Date.now()));
    if ((await Promise.race([all.then(() => "done"), deadline.then(() => "deadline")])) === "deadline") {
      await this.release([...this.tasks.values()].filter((t) => !t.writing).map((t) => t.messageId));
    }
    await Promise.allSettled([...this.tasks.values()].map((t) => t.done));
    log("info", "stopped", { workerId: this.workerId });
  }

  private async waitForModel(): Promise<void> {
    const started = Date.now();
    let lastNote = started;
    while (!this.stopping && !(await modelHealthy(this.modelHealthUrl))) {
      if (Date.now() - lastNote >= 10_000) {
        lastNote = Date.now();
        this.deps.log("info", "waiting for the model", {
          url: this.modelHealthUrl,
          waitedSeconds: Math.round((lastNote - started) / 1000),
        });
      }
      await sleep(500, this.poll.signal);
    }
  }

  private async receive(max: number): Promise<Message[]> {
    const out = await this.deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.config.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: LONG_POLL_SECONDS,
        MessageAttributeNames: [REQUEST_ID_ATTRIBUTE],
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
      { abortSignal: this.poll.signal },
    );
    return out.Messages ?? [];
  }

  private start(message: Message): void {
    const messageId = message.MessageId ?? randomUUID();
    const chosen = message.MessageAttributes?.[REQUEST_ID_ATTRIBUTE]?.StringValue;
    const task: Task = {
      messageId,
      requestId: chosen !== undefined && isValidRequestId(chosen) ? chosen : messageId,
      receipt: message.ReceiptHandle ?? "",
      receivedAtMs: Date.now(),
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? "1"),
      abort: new AbortController(),
      writing: false,
      released: false,
      done: Promise.resolve(),
    };
    this.tasks.set(messageId, task);
    task.done = this.process(task, message.Body ?? "")
      .catch((error: unknown) =>
        this.deps.log("error", "request failed in the worker", { requestId: task.requestId, error: String(error) }),
      )
      .finally(() => {
        this.tasks.delete(messageId);
        this.slotFreed?.();
        this.slotFreed = undefined;
      });
  }

  private async process(task: Task, body: string): Promise<void> {
    const { log } = this.deps;
    const c = this.config;
    log("info", "received", { workerId: this.workerId, requestId: task.requestId, attempt: task.receiveCount });
    const heartbeat = setInterval(() => {
      if (!task.released) void this.setVisibility(task, c.visibilityTimeoutSeconds, "extend");
    }, heartbeatIntervalMs(c.visibilityTimeoutSeconds));
    const parts = new PartPublisher(this.writer, task.requestId, c.streamFlushMillis);
    try {
      const answer = await callModel({
        url: `${c.modelUrl}${c.routes.invokePath}`,
        body,
        timeoutMs: c.maxProcessingSeconds * 1000,
        signal: task.abort.signal,
        onEvents: (events) => parts.add(events),
      });
      if (task.released) {
        parts.cancel();
        return;
      }
      task.writing = true;
      const action = decideMessage(answer.outcome, task.receiveCount, c.visibilityTimeoutSeconds);
      if (action.action === "retry") {
        parts.cancel();
        log("warn", "model failed; the request will be retried", {
          requestId: task.requestId,
          attempt: task.receiveCount,
          reason: action.reason,
          retryInSeconds: action.delaySeconds,
        });
        await this.setVisibility(task, action.delaySeconds, "backoff");
        return;
      }
      const result: RequestResult = {
        requestId: task.requestId,
        status: action.status,
        httpStatus: answer.outcome.kind === "answered" ? answer.outcome.status : 0,
        output: answer.output ?? null,
        streamed: answer.streamed,
        parts: await parts.finish(),
        attempt: task.receiveCount,
        modelMillis: answer.millis,
        completedAt: new Date().toISOString(),
      };
      await this.writer.putResult(result);
      await this.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: c.queueUrl, ReceiptHandle: task.receipt }));
      log("info", "completed", {
        workerId: this.workerId,
        requestId: task.requestId,
        status: result.status,
        modelMillis: answer.millis,
        // Receipt to deletion: the model's time plus what the sidecar adds (forwarding, the result write, the delete).
        millis: Date.now() - task.receivedAtMs,
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async release(messageIds: string[]): Promise<void> {
    const tasks = messageIds.map((id) => this.tasks.get(id)).filter((t): t is Task => t !== undefined && !t.released);
    for (const task of tasks) {
      task.released = true;
      task.abort.abort();
    }
    await Promise.all(tasks.map((t) => this.setVisibility(t, 0, "release")));
    if (tasks.length > 0)
      this.deps.log("info", "released", { workerId: this.workerId, requestIds: tasks.map((t) => t.requestId) });
  }

  private async setVisibility(task: Task, seconds: number, why: string): Promise<void> {
    try {
      await this.deps.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.config.queueUrl,
          ReceiptHandle: task.receipt,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      // The message then simply comes back after its current visibility timeout.
      this.deps.log("warn", `visibility ${why} failed`, { requestId: task.requestId, error: String(error) });
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
