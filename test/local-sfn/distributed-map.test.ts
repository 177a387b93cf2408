import { mkdtemp, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { virtualRuntime } from './helpers.js';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-sfn-s3-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Renewal over a roster in S3: batches of residents go to child workflows. */
const renewal = (extra: Record<string, unknown> = {}) => ({
  StartAt: 'Renew',
  States: {
    Renew: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Bucket.$': '$.bucket', Key: 'roster/2027.json' },
      },
      ItemSelector: { 'personId.$': '$$.Map.Item.Value.id', 'year.$': '$.year' },
      ItemBatcher: { MaxItemsPerBatch: 100, BatchInput: { 'region.$': '$.region' } },
      MaxConcurrency: 4,
      ToleratedFailureCount: 100,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'RenewBatch',
        States: { RenewBatch: { Type: 'Task', Resource: fn('RenewBatch'), End: true } },
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'results', Prefix: 'renewals' },
      },
      ResultPath: '$.mapRun',
      End: true,
      ...extra,
    },
  },
});

async function writeRoster(n: number) {
  await mkdir(join(root, 'roster-bucket', 'roster'), { recursive: true });
  const roster = Array.from({ length: n }, (_, i) => ({ id: `P${String(i).padStart(5, '0')}` }));
  await writeFile(join(root, 'roster-bucket', 'roster', '2027.json'), JSON.stringify(roster));
}

function batchHandler(failBatchContaining?: string) {
  const stats = { inFlight: 0, maxInFlight: 0, batches: [] as number[], seen: new Set<string>() };
  const handler = async (input: unknown) => {
    const { BatchInput, Items } = input as {
      BatchInput: { region: string };
      Items: Array<{ personId: string; year: number }>;
    };
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((r) => setImmediate(r));
    stats.inFlight--;
    stats.batches.push(Items.length);
    for (const it of Items) stats.seen.add(`${BatchInput.region}/${it.year}/${it.personId}`);
    if (failBatchContaining && Items.some((i) => i.personId === failBatchContaining))
      throw new Error('roster row invalid');
    return { renewed: Items.length };
  };
  return { stats, handler };
}

describe('Distributed Map over a local S3 folder', () => {
  it('processes 10,000 items in batches of 100, at most 4 at a time, tolerating a failed batch', async () => {
    await writeRoster(10_000);
    const { sfn } = virtualRuntime({ s3Root: root, recordPayloads: false });
    const { stats, handler } = batchHandler('P04242');
    sfn.createStateMachine({ name: 'Renewal', definition: renewal(), bindings: { lambdas: { RenewBatch: handler } } });
    const exec = await sfn.startExecution({
      stateMachine: 'Renewal',
      input: { bucket: 'roster-bucket', year: 2027, region: '220100' },
    });
    const done = await exec.done;
    expect(done.status).toBe('SUCCEEDED');

    expect(stats.batches).toHaveLength(100);
    expect(stats.batches.every((n) => n === 100)).toBe(true);
    expect(stats.seen.size).toBe(10_000);
    expect(stats.seen.has('220100/2027/P09999')).toBe(true);
    expect(stats.maxInFlight).toBe(4);

    const { mapRun } = done.output as {
      mapRun: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    };
    expect(mapRun.ResultWriterDetails.Bucket).toBe('results');
    const manifest = JSON.parse(await readFile(join(root, 'results', mapRun.ResultWriterDetails.Key), 'utf8'));
    expect(manifest.MapRunArn).toBe(mapRun.MapRunArn);
    const read = async (key: string) => JSON.parse(await readFile(join(root, 'results', key), 'utf8'));
    const succeeded = await read(manifest.ResultFiles.SUCCEEDED[0].Key);
    const failed = await read(manifest.ResultFiles.FAILED[0].Key);
    expect(succeeded).toHaveLength(99);
    expect(JSON.parse(succeeded[0].Output)).toEqual({ renewed: 100 });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ Status: 'FAILED', Error: 'Error' });
    expect(JSON.parse(failed[0].Input).Items[42]).toEqual({ personId: 'P04242', year: 2027 });

    // Billing: the Map state itself, one transition per child started, and each child's single state.
    expect(sfn.countTransitions(exec.executionArn)).toMatchObject({ total: 1 + 100 + 100, mapRunChildren: 100 });
  });

  it('fails with States.ExceedToleratedFailureThreshold once failures pass the tolerance', async () => {
    await writeRoster(1_000);
    const { sfn } = virtualRuntime({ s3Root: root });
    const { handler } = batchHandler('P00500');
    sfn.createStateMachine({
      name: 'Strict',
      definition: renewal({ ToleratedFailureCount: undefined, ToleratedFailurePercentage: 5 }),
      bindings: { lambdas: { RenewBatch: handler } },
    });
    // 1 failed batch = 100 of 1,000 items = 10% > 5%.
    const done = await (
      await sfn.startExecution({ stateMachine: 'Strict', input: { bucket: 'roster-bucket', year: 2027, region: 'r' } })
    ).done;
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('reads JSONL, CSV and listObjectsV2, and returns results inline without a ResultWriter', async () => {
    await mkdir(join(root, 'b', 'in'), { recursive: true });
    await writeFile(join(root, 'b', 'in', 'a.jsonl'), '{"n":1}\n{"n":2}\n\n{"n":3}\n');
    await writeFile(join(root, 'b', 'in', 'c.csv'), 'id,name\n1,"Li, Wei"\n2,"Zhang ""Jr"""\n');
    const { sfn } = virtualRuntime({ s3Root: root });
    const machine = (reader: Record<string, unknown>) => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: reader,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Echo',
            States: { Echo: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    });
    sfn.createStateMachine({
      name: 'Jsonl',
      definition: machine({
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL', MaxItems: 2 },
        Parameters: { Bucket: 'b', Key: 'in/a.jsonl' },
      }),
    });
    sfn.createStateMachine({
      name: 'Csv',
      definition: machine({
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: 'b', Key: 'in/c.csv' },
      }),
    });
    sfn.createStateMachine({
      name: 'List',
      definition: machine({
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: 'b', Prefix: 'in/' },
      }),
    });
    const run = async (name: string) => (await (await sfn.startExecution({ stateMachine: name })).done).output;
    expect(await run('Jsonl')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await run('Csv')).toEqual([
      { id: '1', name: 'Li, Wei' },
      { id: '2', name: 'Zhang "Jr"' },
    ]);
    const listed = (await run('List')) as Array<{ Key: string; Size: number }>;
    expect(listed.map((o) => o.Key)).toEqual(['in/a.jsonl', 'in/c.csv']);
    expect(listed[0]!.Size).toBeGreaterThan(0);

    // EXPRESS children: one transition per child, but their states are not billed as transitions.
    const exec = await sfn.startExecution({ stateMachine: 'Jsonl', name: 'again' });
    await exec.done;
    expect(sfn.countTransitions(exec.executionArn)).toMatchObject({ total: 1 + 2, expressStateEntries: 2 });
  });

  it('runs a Distributed Map over ItemsPath without an ItemReader', async () => {
    const { sfn } = virtualRuntime();
    sfn.createStateMachine({
      name: 'FromInput',
      definition: {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.xs',
            ItemBatcher: { MaxItemsPerBatch: 2 },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Count',
              States: { Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.Items)' }, End: true } },
            },
            End: true,
          },
        },
      },
    });
    const done = await (await sfn.startExecution({ stateMachine: 'FromInput', input: { xs: [1, 2, 3, 4, 5] } })).done;
    expect(done.output).toEqual([{ n: 2 }, { n: 2 }, { n: 1 }]);
  });
});
