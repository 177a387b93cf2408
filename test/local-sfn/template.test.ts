import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  DefinitionError,
  listStateMachines,
  stateMachineFromTemplate,
  UnsupportedFeatureError,
} from '#tools/local-sfn/index.js';
import { virtualRuntime } from './helpers.js';

const template = JSON.parse(
  readFileSync(new URL('./fixtures/arrears-stack.template.json', import.meta.url), 'utf8'),
) as CfnTemplate;

describe('definition intake from a synthesized template', () => {
  it('finds every state machine by logical id', () => {
    expect(listStateMachines(template)).toEqual(['ArrearsTimerStateMachine55AA', 'NoopStateMachineBB11']);
  });

  it('resolves Fn::Join / Ref / Fn::GetAtt with the supplied values', () => {
    const sm = stateMachineFromTemplate(template, 'ArrearsTimerStateMachine55AA', {
      values: {
        RegisterArrearsFnA1B2C3: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:register-arrears',
        CasesTable9F8E7D: 'jl-cases',
        'AWS::Region': 'cn-north-1',
        'AWS::Partition': 'aws-cn',
      },
    });
    expect(sm.name).toBe('arrears-timer');
    const register = sm.definition.States.Register!;
    expect(register.Resource).toBe('arn:aws-cn:states:::lambda:invoke');
    expect((register.Parameters as Record<string, unknown>).FunctionName).toBe(
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:register-arrears',
    );
    expect((sm.definition.States.MarkOpen!.Parameters as Record<string, unknown>).TableName).toBe('jl-cases');
    // Not supplied: derived from the template (a bucket's Ref is its name, here the logical id).
    expect((sm.definition.States.Report!.Parameters as Record<string, unknown>).bucket).toBe('RosterBucket1234');
    expect(sm.tokenOrigins.get('jl-cases')).toBe('CasesTable9F8E7D');
  });

  it('refuses a token it cannot resolve when deriving is off', () => {
    expect(() => stateMachineFromTemplate(template, 'ArrearsTimerStateMachine55AA', { deriveMissing: false })).toThrow(
      DefinitionError,
    );
  });

  it('applies DefinitionSubstitutions', () => {
    const sm = stateMachineFromTemplate(template, 'NoopStateMachineBB11');
    expect(sm.definition.States.Hold!.SecondsPath).toBe('$.seconds');
  });

  it('runs the resolved machine with Tasks bound by logical id, lambda:invoke Payload wrapping and a service integration', async () => {
    const { sfn } = virtualRuntime();
    const updates: unknown[] = [];
    sfn.createStateMachineFromTemplate(template, 'ArrearsTimerStateMachine55AA', {
      bindings: {
        lambdas: { RegisterArrearsFnA1B2C3: (event) => ({ registered: (event as { caseId: string }).caseId }) },
        integrations: {
          'arn:aws:states:::dynamodb:updateItem': (params) => {
            updates.push(params);
            return {};
          },
        },
      },
    });
    const exec = await sfn.startExecution({ stateMachine: 'arrears-timer', input: { caseId: 'A-7' } });
    const done = await exec.done;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ bucket: 'RosterBucket1234', region: 'us-east-1', caseId: 'A-7', registered: 'A-7' });
    expect(updates).toEqual([
      { TableName: 'CasesTable9F8E7D', Key: { caseId: { S: 'A-7' } }, UpdateExpression: 'SET #s = :open' },
    ]);
  });

  it('refuses the template machine when a Task has no binding', () => {
    const { sfn } = virtualRuntime();
    expect(() =>
      sfn.createStateMachineFromTemplate(template, 'ArrearsTimerStateMachine55AA', { bindings: {} }),
    ).toThrow(UnsupportedFeatureError);
  });
});
