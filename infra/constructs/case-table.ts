/**
 * The case table, built from the store's single definition (shared/store/table.ts), so the keys the
 * repository writes and the table that holds them cannot drift apart. Encrypted with a customer-managed
 * KMS key (personal data of a public fund), point-in-time recovery on, deletion-protected, and a stream
 * of new and old images for the workflows and reporting.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CASE_TABLE, type TableDescription } from '../../shared/store/table.js';

const attr = (a: { name: string }): dynamodb.Attribute => ({ name: a.name, type: dynamodb.AttributeType.STRING });

export class CaseTable extends Construct {
  readonly table: dynamodb.TableV2;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, description: TableDescription = CASE_TABLE) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'case table: persons, ledger, notifications, cases and audit trail',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: attr(description.partitionKey),
      sortKey: attr(description.sortKey),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: description.pointInTimeRecovery },
      deletionProtection: description.deletionProtection,
      timeToLiveAttribute: description.timeToLiveAttribute,
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: description.globalSecondaryIndexes.map((g) => ({
        indexName: g.indexName,
        partitionKey: attr(g.partitionKey),
        sortKey: attr(g.sortKey),
        projectionType: g.projection === 'ALL' ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
      })),
    });
  }
}
