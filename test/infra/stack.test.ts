/**
 * The stack as synthesized, asserted on what matters: encryption, recovery, least privilege, dead-letter
 * queues, the authorizer on every route — and cdk-nag clean. Bundling is skipped here (the
 * `aws:cdk:bundling-stacks` context): `npm run synth` bundles for real.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '#functions/api/routes.js';
import { buildApp } from '#infra/app.js';
import { type CfnTemplate, stateMachinesFromTemplate } from '#tools/local-sfn/index.js';
import { CASE_TABLE } from '#store/table.js';

const synth = (context: Record<string, unknown>) => {
  const { stack } = buildApp(
    new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        staffOidcIssuer: 'https://idp.example.invalid/jl',
        staffOidcAudience: 'console',
        ...context,
      },
    }),
  );
  return { template: Template.fromStack(stack), annotations: Annotations.fromStack(stack) };
};

let china: { template: Template; annotations: Annotations };
let cognitoRegion: { template: Template; annotations: Annotations };

beforeAll(() => {
  china = synth({ region: 'cn-north-1' });
  cognitoRegion = synth({ region: 'ap-northeast-1' });
});

type Statement = { Action: string | string[]; Effect: string; Resource: unknown };
const statements = (t: Template): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('case table', () => {
  it('is encrypted with a customer-managed KMS key that rotates, with PITR and deletion protection', () => {
    china.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
    for (const key of Object.values(china.template.findResources('AWS::KMS::Key'))) {
      expect((key as { Properties: { EnableKeyRotation: boolean } }).Properties.EnableKeyRotation).toBe(true);
    }
  });

  it('has the keys, indexes, TTL and stream of the store’s single definition', () => {
    const table = Object.values(china.template.findResources('AWS::DynamoDB::GlobalTable'))[0] as {
      Properties: {
        KeySchema: Array<{ AttributeName: string; KeyType: string }>;
        GlobalSecondaryIndexes: Array<{ IndexName: string }>;
        TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
        StreamSpecification: { StreamViewType: string };
      };
    };
    const p = table.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: CASE_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: CASE_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes.map((g) => g.IndexName).sort()).toEqual(
      CASE_TABLE.globalSecondaryIndexes.map((g) => g.indexName).sort(),
    );
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: CASE_TABLE.timeToLiveAttribute, Enabled: true });
    expect(p.StreamSpecification.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
  });

  it('is retained, never deleted with the stack', () => {
    china.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('least privilege', () => {
  it('no function may delete or scan items, or use a dynamodb or states wildcard', () => {
    for (const s of statements(china.template)) {
      for (const a of actions(s)) {
        expect(a).not.toMatch(/^dynamodb:(DeleteItem|Scan|BatchWriteItem|\*)$/);
        expect(a).not.toBe('states:*');
        expect(a).not.toBe('*');
      }
    }
  });

  it('read-only routes (GET and the what-if calculator) get no write action on the table', () => {
    const readOnly = ROUTE_TABLE.filter((r) => r.method === 'GET' || r.operationId === 'decide');
    expect(readOnly.length).toBeGreaterThan(2);
    const policies = china.template.findResources('AWS::IAM::Policy');
    for (const r of readOnly) {
      const prefix = `StaffApi${r.operationId.charAt(0).toUpperCase()}${r.operationId.slice(1)}Fn`;
      const mine = Object.entries(policies).filter(([id]) => id.startsWith(prefix));
      expect(mine.length, r.operationId).toBeGreaterThan(0);
      for (const [, p] of mine) {
        const acts = (
          p as { Properties: { PolicyDocument: { Statement: Statement[] } } }
        ).Properties.PolicyDocument.Statement.flatMap(actions);
        expect(acts).toContain('dynamodb:Query');
        expect(
          acts.filter((a) => /^dynamodb:(PutItem|UpdateItem)$/.test(a)),
          r.operationId,
        ).toEqual([]);
      }
    }
  });
});

describe('tax payment intake', () => {
  it('routes the notifications to an encrypted queue with a dead-letter queue and partial batch failure', () => {
    china.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['gov.chinatax.jilin'], 'detail-type': ['Tax Payment Notification'] },
    });
    china.template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    for (const q of Object.values(china.template.findResources('AWS::SQS::Queue'))) {
      expect((q as { Properties: { KmsMasterKeyId?: unknown } }).Properties.KmsMasterKeyId).toBeDefined();
    }
    china.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  it('alarms on both dead-letter queues', () => {
    const alarms = Object.values(china.template.findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { MetricName: string; Dimensions?: unknown };
    }>;
    // The intake's two; the daily sweep's failure queue has its own (workflows).
    expect(
      alarms.filter(
        (a) =>
          a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Properties.Dimensions).includes('Intake'),
      ),
    ).toHaveLength(2);
  });
});

describe('staff API', () => {
  it('puts the JWT authorizer on every route of the route table', () => {
    const routes = Object.values(china.template.findResources('AWS::ApiGatewayV2::Route')) as Array<{
      Properties: { RouteKey: string; AuthorizationType: string; AuthorizerId: unknown };
    }>;
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      ROUTE_TABLE.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const r of routes) {
      expect(r.Properties.AuthorizationType).toBe('JWT');
      expect(r.Properties.AuthorizerId).toBeDefined();
    }
  });

  it('in China trusts the province’s OIDC issuer (no Cognito there); elsewhere a Cognito user pool with MFA', () => {
    china.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://idp.example.invalid/jl', Audience: ['console'] },
    });
    china.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    cognitoRegion.template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    cognitoRegion.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: Match.anyValue(), Audience: Match.anyValue() },
    });
    for (const g of ['clerk', 'approver', 'auditor']) {
      cognitoRegion.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: g });
    }
  });

  it('logs access', () => {
    china.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: Match.anyValue() },
    });
  });
});

describe('functions', () => {
  it('all run Node.js 24 on arm64 with tracing', () => {
    const fns = Object.values(china.template.findResources('AWS::Lambda::Function')) as Array<{
      Properties: { Runtime: string; Architectures: string[]; TracingConfig: { Mode: string } };
    }>;
    expect(fns.length).toBeGreaterThan(ROUTE_TABLE.length);
    for (const f of fns) {
      expect(f.Properties.Runtime).toBe('nodejs24.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.TracingConfig.Mode).toBe('Active');
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed error or warning, in China or elsewhere', () => {
    for (const { annotations } of [china, cognitoRegion]) {
      const findings = [
        ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
        ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ];
      expect(findings.map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`)).toEqual([]);
    }
  });
});

describe('workflows', () => {
  it('five Standard state machines, logging ALL with tracing, each definition valid ASL', async () => {
    const { default: aslValidator } = (await import('asl-validator')) as unknown as {
      default: (d: unknown) => { isValid: boolean; errorsText: () => string };
    };
    const machines = Object.values(china.template.findResources('AWS::StepFunctions::StateMachine')) as Array<{
      Properties: {
        StateMachineType?: string;
        LoggingConfiguration: { Level: string };
        TracingConfiguration: { Enabled: boolean };
        DefinitionString: unknown;
      };
    }>;
    expect(machines).toHaveLength(5);
    for (const m of machines) {
      expect(m.Properties.StateMachineType ?? 'STANDARD').toBe('STANDARD');
      expect(m.Properties.LoggingConfiguration.Level).toBe('ALL');
      expect(m.Properties.TracingConfiguration.Enabled).toBe(true);
      expect(m.Properties.DefinitionString).toBeDefined();
    }
    // The definitions with their intrinsic functions resolved, as the local runtime and the tests run them.
    const resolved = stateMachinesFromTemplate(china.template.toJSON() as CfnTemplate);
    for (const [id, m] of Object.entries(resolved)) {
      const r = aslValidator(m.definition);
      expect(r.isValid, `${id}: ${r.isValid ? '' : r.errorsText()}`).toBe(true);
      const text = JSON.stringify(m.definition);
      expect(text).not.toMatch(/JSONata|"Assign"/);
    }
  });

  it('the daily sweep and every region’s collection-window start run on Asia/Shanghai time', () => {
    const schedules = Object.values(china.template.findResources('AWS::Scheduler::Schedule')) as Array<{
      Properties: { ScheduleExpression: string; ScheduleExpressionTimezone: string };
    }>;
    expect(schedules.map((s) => s.Properties.ScheduleExpression)).toContain('cron(5 0 * * ? *)');
    // Fee year 2027: the window opens on 2026-10-01 in each of the 12 regions (JL21 §1, TL22 §2(1)1).
    expect(schedules.filter((s) => s.Properties.ScheduleExpression === 'at(2026-10-01T00:00:00)')).toHaveLength(12);
    for (const s of schedules) expect(s.Properties.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
  });

  it('a daily sweep that fails during an outage is retried: the schedule’s delivery and the function’s runs', () => {
    const sweepSchedule = Object.values(china.template.findResources('AWS::Scheduler::Schedule')).find(
      (s) =>
        (s as { Properties: { ScheduleExpression: string } }).Properties.ScheduleExpression === 'cron(5 0 * * ? *)',
    ) as { Properties: { Target: { RetryPolicy: Record<string, number>; DeadLetterConfig?: { Arn: unknown } } } };
    // Delivery (the asynchronous invoke) retried for 6 hours, then kept in a queue.
    expect(sweepSchedule.Properties.Target.RetryPolicy).toEqual({
      MaximumRetryAttempts: 185,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
    expect(sweepSchedule.Properties.Target.DeadLetterConfig?.Arn).toBeDefined();
    // A run that failed (DynamoDB unavailable: Sweep.Incomplete) is run twice more, then kept in the same queue.
    china.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^WorkflowsDailySweepFn') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    // And the queue alarms.
    const alarms = Object.values(china.template.findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { AlarmDescription?: string };
    }>;
    expect(alarms.some((a) => a.Properties.AlarmDescription?.startsWith('daily sweep: messages waiting'))).toBe(true);
  });

  it('signs page cursors with a generated per-deployment secret, given only to the routes that page', () => {
    china.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    const fns = Object.values(china.template.findResources('AWS::Lambda::Function')) as Array<{
      Properties: { Description?: string; Environment?: { Variables?: Record<string, unknown> } };
    }>;
    const withSecret = fns.filter((f) => f.Properties.Environment?.Variables?.CURSOR_SECRET !== undefined);
    expect(withSecret.map((f) => f.Properties.Description).sort()).toEqual([
      'staff API: GET /cases',
      'staff API: GET /cases/{caseId}/audit-trail',
    ]);
    // A dynamic reference, resolved at deploy: the secret itself is not in the template.
    for (const f of withSecret)
      expect(JSON.stringify(f.Properties.Environment!.Variables!.CURSOR_SECRET)).toContain('{{resolve:secretsmanager:');
  });

  it('only the functions that start or resume a workflow may; nobody gets states:* ', () => {
    const starters = statements(china.template).filter((s) => actions(s).includes('states:StartExecution'));
    expect(starters.length).toBeGreaterThanOrEqual(5);
    const callbacks = statements(china.template).filter((s) => actions(s).includes('states:SendTaskSuccess'));
    expect(callbacks.length).toBeGreaterThanOrEqual(4);
    for (const s of [...starters, ...callbacks]) expect(s.Resource).not.toBe('*');
  });

  it('alarms on every state machine’s failed and timed-out executions', () => {
    const alarms = Object.values(china.template.findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { MetricName: string };
    }>;
    expect(alarms.filter((a) => a.Properties.MetricName === 'ExecutionsFailed')).toHaveLength(5);
    expect(alarms.filter((a) => a.Properties.MetricName === 'ExecutionsTimedOut')).toHaveLength(5);
  });

  it('keeps rosters and reports in a KMS-encrypted, versioned, private bucket', () => {
    china.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });
});
