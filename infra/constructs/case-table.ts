/**
 * The case table, built from the store's single definition (shared/store/table.ts), so the keys the
 * repository writes and the table that holds them cannot drift apart. Encrypted with a customer-managed
 * KMS key (personal data of a public fund), point-in-time recovery on, deletion-protected, and a stream
 * of new and old images for the workflows and reporting.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CASE_TABLE, type TableDescription } from '#store/table.js';

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

  /**
   * Least privilege for a function of the system: the item actions the store uses (reads, conditional
   * puts and updates, condition checks inside transactions) on the table and its indexes, never DeleteItem
   * or Scan — nothing of record is ever deleted, and no request path scans.
   */
  grantStoreAccess(grantee: iam.IGrantable, access: 'read' | 'read-write'): void {
    const actions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];
    if (access === 'read-write') actions.push('dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem');
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/*`],
    });
    if (access === 'read-write') this.key.grantEncryptDecrypt(grantee);
    else this.key.grantDecrypt(grantee);
  }
}
