import { describeError } from "../kit/aws-error";
import type { SpotSignal } from "./core";
import type { InstanceDirectory } from "./instances";
import { type ParsedEvent, parseMessageBody } from "./parse";

/** A queue record reduced to what the handler needs; the body is whatever the record held. */
export interface QueueRecord {
  messageId: string;
  body: unknown;
}

/** The account and region the stack runs in: the only ones whose events it acts on. */
export interface Home {
  accountId: string;
  region: string;
}

/**
 * What becomes of one record: `signal` goes to the core; `ack` is acknowledged and dropped
 * (logged); `foreign` is an event of another account or region, acknowledged, logged and
 * counted; `retry` is reported as a batch item failure, so the queue redelivers it and,
 * after its maxReceiveCount, moves it to the DLQ.
 */
export type RecordOutcome =
  | { messageId: string; disposition: "signal"; signal: SpotSignal }
  | { messageId: string; disposition: "ack" | "foreign" | "retry"; note: string; eventId?: string };

function toSignal(event: ParsedEvent, pool: string): SpotSignal {
  const signal: SpotSignal = { id: event.id, kind: event.kind, pool, atMs: event.atMs };
  if (event.instanceId !== undefined) signal.instanceId = event.instanceId;
  return signal;
}

function isHome(event: ParsedEvent, home: Home): boolean {
  return event.account === home.accountId && event.region === home.region;
}

/**
 * Parses the records, sets aside events of another account or region (an instance id says
 * nothing about where it lives: looked up here, it could match a local instance), and maps
 * each remaining event to the pool it concerns: launch failures by the group name they
 * carry, instance events through the instance's Auto Scaling group
 * (DescribeAutoScalingInstances, 50 instances per call).
 */
export async function resolveRecords(
  records: QueueRecord[],
  directory: InstanceDirectory,
  poolOfAsg: Map<string, string>,
  home: Home,
): Promise<RecordOutcome[]> {
  const parsed = records.map((record) => ({ record, result: parseMessageBody(record.body) }));
  const instanceIds = parsed.flatMap(({ result }) =>
    result.ok && result.event.kind !== "launch-failure" && isHome(result.event, home) ? [result.event.instanceId] : [],
  );
  let groups: Map<string, { asgName?: string }> | undefined;
  let lookupError: string | undefined;
  if (instanceIds.length > 0) {
    try {
      groups = await directory.groupsOf(instanceIds);
    } catch (error) {
      lookupError = `DescribeAutoScalingInstances failed: ${describeError(error)}`;
    }
  }

  return parsed.map(({ record, result }): RecordOutcome => {
    const messageId = record.messageId;
    if (!result.ok) {
      const { disposition, message, id } = result.rejection;
      const outcome: RecordOutcome = {
        messageId,
        disposition: disposition === "malformed" ? "retry" : "ack",
        note: message,
      };
      if (id !== undefined) outcome.eventId = id;
      return outcome;
    }
    const event = result.event;
    if (!isHome(event, home)) {
      return {
        messageId,
        disposition: "foreign",
        eventId: event.id,
        note: `event of account ${event.account.slice(0, 32)} in ${event.region.slice(0, 32)}; this stack runs in ${home.accountId} ${home.region}`,
      };
    }
    if (event.kind === "launch-failure") {
      const pool = poolOfAsg.get(event.asgName);
      if (!pool)
        return {
          messageId,
          disposition: "ack",
          eventId: event.id,
          note: `group ${event.asgName} is not one of this cluster's GPU pools`,
        };
      return { messageId, disposition: "signal", signal: toSignal(event, pool) };
    }
    if (lookupError !== undefined) return { messageId, disposition: "retry", eventId: event.id, note: lookupError };
    const group = groups?.get(event.instanceId);
    if (!group) {
      return {
        messageId,
        disposition: "ack",
        eventId: event.id,
        note: `instance ${event.instanceId} is unknown to Auto Scaling here (gone, not in a group, or another account or region)`,
      };
    }
    const pool = group.asgName ? poolOfAsg.get(group.asgName) : undefined;
    if (!pool) {
      return {
        messageId,
        disposition: "ack",
        eventId: event.id,
        note: `instance ${event.instanceId} (group ${group.asgName ?? "none"}) is not in this cluster's GPU pools`,
      };
    }
    return { messageId, disposition: "signal", signal: toSignal(event, pool) };
  });
}
