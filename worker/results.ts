/**
 * Writes results under the endpoint's results location. Keys are derived from the request id
 * alone, so a duplicate delivery overwrites the same objects instead of adding new ones.
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { partKey, type RequestResult, type ResultPart, type ResultsLocation, resultKey } from "../functions/contract";
import { partDue } from "./decide";

export class ResultWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly location: ResultsLocation,
  ) {}

  async putResult(result: RequestResult): Promise<void> {
    await this.put(resultKey(this.location, result.requestId), result);
  }

  async putPart(part: ResultPart): Promise<void> {
    await this.put(partKey(this.location, part.requestId, part.part), part);
  }

  private async put(key: string, body: unknown): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: key,
        Body: JSON.stringify(body),
        ContentType: "application/json",
      }),
    );
  }
}

/**
 * Publishes a streamed answer as numbered parts while it arrives. Events are gathered for
 * `flushMs` so a token-by-token stream costs one S3 write per interval rather than per token;
 * parts are written one after another, so part n exists before part n + 1.
 */
export class PartPublisher {
  private pending: unknown[] = [];
  private published = 0;
  private lastPublishMs: number;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private error: unknown;

  constructor(
    private readonly writer: ResultWriter,
    private readonly requestId: string,
    private readonly flushMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // The first events go out at once: a preview is most useful early.
    this.lastPublishMs = this.now() - flushMs;
  }

  add(events: unknown[]): void {
    this.pending.push(...events);
    if (partDue(this.pending.length, this.lastPublishMs, this.now(), this.flushMs)) this.flush();
    else if (!this.timer && this.pending.length > 0)
      this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastPublishMs + this.flushMs - this.now()));
  }

  /** Publishes what is left and waits for every part to be written; returns the part count. Throws if a write failed. */
  async finish(): Promise<number> {
    this.flush();
    await this.chain;
    if (this.error !== undefined) throw this.error;
    return this.published;
  }

  /** Stops publishing (the request was released); nothing further is written. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const part: ResultPart = { requestId: this.requestId, part: ++this.published, events: this.pending };
    this.pending = [];
    this.lastPublishMs = this.now();
    this.chain = this.chain.then(() =>
      this.error === undefined
        ? this.writer.putPart(part).catch((error: unknown) => {
            this.error = error;
          })
        : undefined,
    );
  }
}
