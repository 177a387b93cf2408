import { describe, expect, it } from 'vitest';
import { type AslDefinition, compileDefinition, UnsupportedFeatureError } from '#tools/local-sfn/index.js';

const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:F';
const bindings = { lambdas: { F: () => null } };
const one = (state: Record<string, unknown>, top: Record<string, unknown> = {}): AslDefinition => ({
  StartAt: 'S',
  States: { S: { End: true, Type: 'Pass', ...state } },
  ...top,
});
const distributed = (extra: Record<string, unknown>) =>
  one({
    Type: 'Map',
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'P',
      States: { P: { Type: 'Pass', End: true } },
    },
    ...extra,
  });

const cases: Array<[string, unknown, RegExp]> = [
  ['JSONata at machine level', one({ Type: 'Pass' }, { QueryLanguage: 'JSONata' }), /QueryLanguage JSONata/],
  ['JSONata on a state', one({ Type: 'Pass', QueryLanguage: 'JSONata' }), /state "S".*QueryLanguage JSONata/],
  ['Assign (Variables)', one({ Type: 'Pass', Assign: { x: 1 } }), /"S".*Variables \(Assign\)/],
  ['Output', one({ Type: 'Pass', Output: '{% $states.input %}' }), /"S".*JSONata Output/],
  ['Arguments', one({ Type: 'Task', Resource: fnArn, Arguments: {} }), /"S".*JSONata Arguments/],
  ['HeartbeatSeconds', one({ Type: 'Task', Resource: fnArn, HeartbeatSeconds: 60 }), /"S".*HeartbeatSeconds/],
  [
    'a Variables reference in a path',
    one({ Type: 'Pass', Parameters: { 'x.$': '$caseId' } }),
    /"S".*Variables reference/,
  ],
  [
    'an unbound Lambda',
    one({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:Other' }),
    /"S".*unbound Task resource/,
  ],
  [
    'an unbound integration',
    one({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: {} }),
    /"S".*unbound.*sqs:sendMessage/,
  ],
  [
    'a callback without $$.Task.Token',
    one({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fnArn, Payload: {} },
    }),
    /"S".*without \$\$\.Task\.Token/,
  ],
  ['an unknown field', one({ Type: 'Pass', Foo: 1 }), /"S".*field "Foo"/],
  [
    'a JSONata Choice condition',
    {
      StartAt: 'S',
      States: { S: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'E' }] }, E: { Type: 'Succeed' } },
    },
    /"S".*JSONata Choice Condition/,
  ],
  [
    'an Athena ItemReader',
    distributed({ ItemReader: { Resource: 'arn:aws:states:::athena:startQueryExecution', Parameters: {} } }),
    /"S".*ItemReader resource/,
  ],
  [
    'a MANIFEST ItemReader',
    distributed({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'MANIFEST' },
        Parameters: {},
      },
    }),
    /"S".*InputType MANIFEST/,
  ],
  [
    'ResultWriter WriterConfig',
    distributed({
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        WriterConfig: { OutputType: 'JSONL' },
        Parameters: {},
      },
    }),
    /"S".*ResultWriter\.WriterConfig/,
  ],
  [
    'ItemBatcher on an inline Map',
    one({
      Type: 'Map',
      ItemBatcher: { MaxItemsPerBatch: 2 },
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    }),
    /"S".*ItemBatcher on an inline Map/,
  ],
  [
    'a callback inside an EXPRESS child',
    distributed({
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'CB',
        States: {
          CB: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: fnArn, Payload: { 't.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
    }),
    /"CB".*EXPRESS/,
  ],
];

describe('refusal of what cannot be run faithfully', () => {
  it.each(cases)('refuses %s, naming the state and the feature', (_label, definition, message) => {
    const attempt = () => compileDefinition(definition as never, { bindings });
    expect(attempt).toThrow(UnsupportedFeatureError);
    expect(attempt).toThrow(message);
  });

  it('accepts the same shapes without the unsupported feature (the refusals are not blanket)', () => {
    expect(() =>
      compileDefinition(one({ Type: 'Task', Resource: fnArn, TimeoutSeconds: 60 }), { bindings }),
    ).not.toThrow();
    expect(() =>
      compileDefinition(one({ Type: 'Pass', Parameters: { 'x.$': '$.caseId', 'y.$': "States.Format('{}', $.a)" } }), {
        bindings,
      }),
    ).not.toThrow();
  });
});
