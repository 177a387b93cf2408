/**
 * The Distributed Map (`ProcessorConfig.Mode: DISTRIBUTED`), which aws-local-stepfunctions 3 ignores: items
 * from ItemReader (the S3 folder) or ItemsPath, ItemSelector per item, ItemBatcher, child workflow executions
 * at most MaxConcurrency at a time, tolerated failures (counted in items), ResultWriter, and the Map Run
 * events. The runtime calls it from the Map state's handler and lends it what a run needs (MapRunHost).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import type { HandlerSpec } from './compile.js';
import type { LocalEvent } from './events.js';
import {
  childGroup,
  childMeta,
  concurrency,
  type HandlerPayload,
  MAX_CHILD_CONCURRENCY,
  pool,
  type RunInfo,
  type RunMeta,
  runtimeError,
  StatesError,
  stoppedError,
} from './runs.js';
import { type LocalS3, readItems } from './s3-local.js';
import type { AslState, Json, JsonObject } from './types.js';

/** MaxInputBytesPerBatch when ItemBatcher sets none: 256 KiB, the Step Functions default. */
const DEFAULT_BATCH_BYTES = 256 * 1024;

export type MapSpec = Extract<HandlerSpec, { kind: 'map' }>;

/** What the runtime lends one Distributed Map state of one execution. */
export interface MapRunHost {
  readonly clock: Clock;
  readonly s3: LocalS3 | undefined;
  /** `arn:aws:states:<region>:<account>`, the start of the Map Run's and its children's ARNs. */
  readonly arnPrefix: string;
  readonly machine: { readonly name: string; readonly stateMachineArn: string };
  /** Adds an event to the execution's log. */
  record(event: Omit<LocalEvent, 'id' | 'timestamp'>): void;
  /** Runs the ItemProcessor as one child workflow execution. */
  runChild(input: Json, meta: RunMeta, signal: AbortSignal): Promise<Json>;
  /** Evaluates ItemSelector for the item at `index`. */
  select(selector: Json, index: number, value: Json): Promise<Json>;
}

interface ChildRecord {
  index: number;
  status: 'SUCCEEDED' | 'FAILED';
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
  start: number;
  stop: number;
}

export async function runDistributedMap(
  host: MapRunHost,
  spec: MapSpec,
  payload: HandlerPayload,
  run: RunInfo,
): Promise<Json> {
  const s = spec.state;
  const mapRunId = randomUUID();
  const mapRunArn = `${host.arnPrefix}:mapRun:${host.machine.name}/${spec.name}:${mapRunId}`;
  const express = spec.processor.executionType === 'EXPRESS';
  // 1. Items: from the S3 folder (ItemReader) or from the input (ItemsPath).
  let items: Json[];
  const reader = s.ItemReader as { Resource: string; ReaderConfig?: Record<string, unknown> } | undefined;
  if (reader) {
    if (!host.s3) throw runtimeError(`Map "${spec.name}" reads from S3 but LocalStepFunctions has no s3Root`);
    try {
      items = await readItems(host.s3, {
        resource: reader.Resource,
        parameters: (payload.reader ?? {}) as JsonObject,
        config: reader.ReaderConfig ?? {},
        maxItems: payload.readerMaxItems as number | undefined,
      });
    } catch (e) {
      throw new StatesError('States.ItemReaderFailed', (e as Error).message);
    }
  } else {
    if (!Array.isArray(payload.items)) throw runtimeError(`Map "${spec.name}": ItemsPath must select an array`);
    items = payload.items;
  }
  // 2. ItemSelector per item, then ItemBatcher.
  const selector = (s.ItemSelector ?? s.Parameters) as Json | undefined;
  const selected: Json[] = [];
  for (let i = 0; i < items.length; i++)
    selected.push(selector === undefined ? items[i]! : await host.select(selector, i, items[i]!));
  const batches = batch(s, payload, selected);
  // 3. Failure tolerance, counted in items (a failed batch fails all its items).
  const tolPct = (s.ToleratedFailurePercentage ?? payload.toleratedFailurePercentage) as number | undefined;
  const tolCount = (s.ToleratedFailureCount ?? payload.toleratedFailureCount) as number | undefined;
  const exceeded = (failed: number) => {
    if (failed === 0) return false;
    if (tolPct === undefined && tolCount === undefined) return true;
    return (
      (tolPct !== undefined && (failed / items.length) * 100 > tolPct) || (tolCount !== undefined && failed > tolCount)
    );
  };
  host.record({
    type: 'MapRunStarted',
    scope: run.meta.scope,
    stateName: spec.name,
    stateType: 'Map',
    detail: { mapRunArn, items: items.length, children: batches.length },
  });
  // 4. Child workflow executions, at most MaxConcurrency at a time.
  const limit = concurrency(s.MaxConcurrency, payload.maxConcurrency, MAX_CHILD_CONCURRENCY);
  const group = childGroup(run.signal);
  const records: ChildRecord[] = [];
  let failedItems = 0;
  let thresholdError: StatesError | undefined;
  try {
    await pool(batches.length, limit, async (b) => {
      if (thresholdError) return null;
      const batch = batches[b]!;
      const start = host.clock.now();
      const meta = { ...childMeta(run, 'child', spec.name, b), express };
      try {
        const output = await host.runChild(batch.input, meta, group.signal);
        records[b] = { index: b, status: 'SUCCEEDED', input: batch.input, output, start, stop: host.clock.now() };
      } catch (e) {
        if (group.signal.aborted && (e as Error).name === 'LocalSfn.Stopped') return null;
        const err = e as Error;
        records[b] = {
          index: b,
          status: 'FAILED',
          input: batch.input,
          error: err.name,
          cause: err.message,
          start,
          stop: host.clock.now(),
        };
        failedItems += batch.size;
        if (!thresholdError && exceeded(failedItems)) {
          thresholdError = new StatesError(
            'States.ExceedToleratedFailureThreshold',
            `The specified tolerated failure threshold was exceeded (${failedItems} of ${items.length} items failed)`,
          );
          group.abort();
        }
      }
      return null;
    });
    if (run.signal.aborted) throw stoppedError();
    if (thresholdError) throw thresholdError;
    const summary = { mapRunArn, items: items.length, children: batches.length, failedItems };
    host.record({
      type: 'MapRunSucceeded',
      scope: run.meta.scope,
      stateName: spec.name,
      stateType: 'Map',
      detail: summary,
    });
    // 5. Results: to the S3 folder (ResultWriter) or as the state's result.
    if (s.ResultWriter) return await writeResults(host, spec.name, payload, mapRunArn, mapRunId, records);
    return records.map((r) =>
      r.status === 'SUCCEEDED' ? r.output! : { Error: r.error ?? null, Cause: r.cause ?? null },
    );
  } catch (e) {
    const err = e as Error;
    host.record({
      type: 'MapRunFailed',
      scope: run.meta.scope,
      stateName: spec.name,
      stateType: 'Map',
      error: err.name,
      cause: err.message,
    });
    throw e;
  } finally {
    group.release();
  }
}

/** ItemBatcher: items into child inputs `{BatchInput?, Items}` within MaxItemsPerBatch and MaxInputBytesPerBatch. */
function batch(s: AslState, payload: HandlerPayload, items: Json[]): Array<{ input: Json; size: number }> {
  const batcher = s.ItemBatcher as Record<string, unknown> | undefined;
  if (!batcher) return items.map((input) => ({ input, size: 1 }));
  const maxItems = (batcher.MaxItemsPerBatch ?? payload.maxItemsPerBatch) as number | undefined;
  const maxBytes =
    ((batcher.MaxInputBytesPerBatch ?? payload.maxInputBytesPerBatch) as number | undefined) ?? DEFAULT_BATCH_BYTES;
  const batchInput = payload.batchInput;
  const overhead = JSON.stringify({ BatchInput: batchInput ?? null, Items: [] }).length;
  const out: Array<{ input: Json; size: number }> = [];
  let current: Json[] = [];
  let bytes = overhead;
  const flush = () => {
    if (!current.length) return;
    out.push({
      input: batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current },
      size: current.length,
    });
    current = [];
    bytes = overhead;
  };
  for (const item of items) {
    const size = JSON.stringify(item).length + 1;
    if (current.length && ((maxItems && current.length >= maxItems) || bytes + size > maxBytes)) flush();
    current.push(item);
    bytes += size;
  }
  flush();
  return out;
}

/** ResultWriter: `SUCCEEDED_0.json`, `FAILED_0.json` and `manifest.json` under `<Prefix>/<map run id>/`. */
async function writeResults(
  host: MapRunHost,
  stateName: string,
  payload: HandlerPayload,
  mapRunArn: string,
  mapRunId: string,
  records: ChildRecord[],
): Promise<Json> {
  const params = (payload.writer ?? {}) as JsonObject;
  const bucket = String(params.Bucket ?? '');
  if (!bucket || !host.s3) throw runtimeError(`Map "${stateName}": ResultWriter needs a Bucket and an s3Root`);
  const prefix = params.Prefix ? `${String(params.Prefix).replace(/\/$/, '')}/` : '';
  const base = `${prefix}${mapRunId}/`;
  const toEntry = (r: ChildRecord): JsonObject => ({
    ExecutionArn: `${host.arnPrefix}:execution:${host.machine.name}/${stateName}:${mapRunId}:${r.index}`,
    Input: JSON.stringify(r.input),
    InputDetails: { Included: true },
    Name: `${mapRunId}:${r.index}`,
    ...(r.status === 'SUCCEEDED'
      ? { Output: JSON.stringify(r.output), OutputDetails: { Included: true } }
      : { Error: r.error ?? null, Cause: r.cause ?? null }),
    StartDate: new Date(r.start).toISOString(),
    StateMachineArn: host.machine.stateMachineArn,
    Status: r.status,
    StopDate: new Date(r.stop).toISOString(),
  });
  const files: Record<string, Array<{ Key: string; Size: number }>> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const entries = records.filter((r) => r?.status === status).map(toEntry);
    if (!entries.length) continue;
    const key = `${base}${status}_0.json`;
    const body = JSON.stringify(entries);
    await host.s3.put(bucket, key, body);
    files[status]!.push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}manifest.json`;
  await host.s3.put(
    bucket,
    manifestKey,
    JSON.stringify({ DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files }),
  );
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}
