import { describeIssues } from "../kit/setup";
import * as z from "../validation";

/**
 * Pure parser for the EventBridge events the rebalancer's queue receives. It never throws:
 * every input becomes a typed event or a typed rejection, and the rejection says whether
 * the message is worth retrying (malformed: it goes to the DLQ after the queue's
 * maxReceiveCount, where someone can look at it) or should be acknowledged and dropped
 * (another event the rules let through).
 */

export const DETAIL_TYPES = {
  interruptionWarning: "EC2 Spot Instance Interruption Warning",
  rebalanceRecommendation: "EC2 Instance Rebalance Recommendation",
  launchUnsuccessful: "EC2 Instance Launch Unsuccessful",
} as const;

export type ParsedEvent =
  | {
      kind: "interruption-warning" | "rebalance-recommendation";
      id: string;
      atMs: number;
      region: string;
      account: string;
      instanceId: string;
      /** Spot instance-action: terminate, stop or hibernate. Absent on recommendations. */
      action?: string;
    }
  | {
      kind: "launch-failure";
      id: string;
      atMs: number;
      region: string;
      account: string;
      asgName: string;
      statusMessage: string;
      instanceId?: string;
    };

export interface Rejection {
  /** malformed: retry, then dead-letter. ignored: acknowledge and drop. */
  disposition: "malformed" | "ignored";
  message: string;
  /** The event id when the envelope had one, for the log line. */
  id?: string;
}

export type ParseResult = { ok: true; event: ParsedEvent } | { ok: false; rejection: Rejection };

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/**
 * EventBridge event ids are UUIDs. The rebalancer keeps recent ids in its state item, so an
 * id is held to a short, plain form: that keeps the item's size bounded (DynamoDB's limit
 * is 400 KB) whatever the queue receives, and the ids need no escaping in logs.
 */
export const EVENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** EventBridge's `time`: an RFC 3339 UTC or offset timestamp, e.g. 2026-03-07T10:15:00Z. */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Epoch milliseconds of a strict ISO 8601 timestamp, or undefined. Date.parse alone accepts
 * "1" and "March 7" and rolls 2026-02-30 over to March: each field is checked instead.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  const atMs = Date.parse(text);
  return Number.isFinite(atMs) ? atMs : undefined;
}

const envelope = z.object({
  version: z.string(),
  id: z.string().check(z.regex(EVENT_ID, "must be 1 to 64 letters, digits or ._:-")),
  "detail-type": z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});

const ec2Detail = z.object({
  "instance-id": z.string().check(z.regex(INSTANCE_ID)),
  "instance-action": z.optional(z.string()),
});

const launchDetail = z.object({
  AutoScalingGroupName: z.string().check(z.minLength(1), z.maxLength(255)),
  StatusCode: z.optional(z.string()),
  StatusMessage: z.optional(z.string()),
  EC2InstanceId: z.optional(z.string()),
});

function malformed(message: string, id?: string): ParseResult {
  return {
    ok: false,
    rejection: id === undefined ? { disposition: "malformed", message } : { disposition: "malformed", message, id },
  };
}

/** Parses an event object (the SQS message body, already decoded). Never throws. */
export function parseEvent(raw: unknown): ParseResult {
  try {
    return parseEnvelope(raw);
  } catch (error) {
    // A last line of defence: an exotic input must not take the batch down with it.
    return malformed(`unparseable event: ${String((error as Error)?.message ?? error).slice(0, 120)}`);
  }
}

function parseEnvelope(raw: unknown): ParseResult {
  const outer = envelope.safeParse(raw);
  if (!outer.success) {
    const rawId = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
    const id = typeof rawId === "string" && EVENT_ID.test(rawId) ? rawId : undefined;
    return malformed(`not an EventBridge event: ${describeIssues(outer.error, raw)}`, id);
  }
  const e = outer.data;
  const atMs = parseIsoTimestamp(e.time);
  if (atMs === undefined)
    return malformed(`time (${JSON.stringify(e.time.slice(0, 40))}) is not an ISO 8601 timestamp`, e.id);
  const base = { id: e.id, atMs, region: e.region, account: e.account };
  const type = e["detail-type"];

  if (type === DETAIL_TYPES.interruptionWarning || type === DETAIL_TYPES.rebalanceRecommendation) {
    if (e.source !== "aws.ec2")
      return ignored(`${type} from source ${JSON.stringify(e.source)}, expected aws.ec2`, e.id);
    const detail = ec2Detail.safeParse(e.detail);
    if (!detail.success) return malformed(`${type}: ${describeIssues(detail.error, e.detail)}`, e.id);
    const instanceId = detail.data["instance-id"];
    if (type === DETAIL_TYPES.rebalanceRecommendation) {
      return { ok: true, event: { kind: "rebalance-recommendation", ...base, instanceId } };
    }
    const action = detail.data["instance-action"];
    return {
      ok: true,
      event:
        action === undefined
          ? { kind: "interruption-warning", ...base, instanceId }
          : { kind: "interruption-warning", ...base, instanceId, action },
    };
  }

  if (type === DETAIL_TYPES.launchUnsuccessful) {
    if (e.source !== "aws.autoscaling")
      return ignored(`${type} from source ${JSON.stringify(e.source)}, expected aws.autoscaling`, e.id);
    const detail = launchDetail.safeParse(e.detail);
    if (!detail.success) return malformed(`${type}: ${describeIssues(detail.error, e.detail)}`, e.id);
    const d = detail.data;
    const instanceId = d.EC2InstanceId && INSTANCE_ID.test(d.EC2InstanceId) ? d.EC2InstanceId : undefined;
    const event: ParsedEvent = {
      kind: "launch-failure",
      ...base,
      asgName: d.AutoScalingGroupName,
      statusMessage: (d.StatusMessage ?? "").slice(0, 500),
      ...(instanceId === undefined ? {} : { instanceId }),
    };
    return { ok: true, event };
  }

  return ignored(`detail-type ${JSON.stringify(type.slice(0, 80))} is not one the rebalancer handles`, e.id);
}

function ignored(message: string, id: string): ParseResult {
  return { ok: false, rejection: { disposition: "ignored", message, id } };
}

/** Parses an SQS message body: JSON text holding one EventBridge event. */
export function parseMessageBody(body: unknown): ParseResult {
  if (typeof body !== "string") return malformed(`message body is ${body === null ? "null" : typeof body}, not text`);
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return malformed(`message body is not JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  return parseEvent(raw);
}
