/** The stack as synthesized: encryption, recovery and protection of the case table, and cdk-nag clean. */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { CASE_TABLE } from '../../shared/store/table.js';

let template: Template;
let annotations: Annotations;

beforeAll(() => {
  const { stack } = buildApp(new App());
  template = Template.fromStack(stack);
  annotations = Annotations.fromStack(stack);
});

describe('case table', () => {
  it('is encrypted with a customer-managed KMS key that rotates', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('has the keys, indexes, TTL and stream of the store’s single definition', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0] as {
      Properties: Record<string, unknown>;
    };
    const p = table.Properties as {
      KeySchema: Array<{ AttributeName: string; KeyType: string }>;
      GlobalSecondaryIndexes: Array<{ IndexName: string }>;
      TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
      StreamSpecification: { StreamViewType: string };
    };
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
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed error or warning', () => {
    const findings = [
      ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    expect(findings.map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`)).toEqual([]);
  });
});
