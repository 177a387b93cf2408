/**
 * The audit trail on DynamoDB. Audit records are written by every other repository, in the same
 * transaction as the change they describe (`auditAction` in repository.ts), as append-only
 * `AUDIT#<time>#<id>` items of the person's or the case's partition; reading a trail is one Query of
 * that partition, in time order.
 */
import type { AuditRepository, Page, PageOptions } from '../case-store.js';
import { casePk, personPk, SK } from '../keys.js';
import type { AuditRecord } from '../model.js';
import { fromItem } from './common.js';
import { DynamoRepository } from './repository.js';

export class DynamoAudit extends DynamoRepository implements AuditRepository {
  async auditTrail(
    of: { identityKey: string } | { caseId: string },
    options: PageOptions = {},
  ): Promise<Page<AuditRecord>> {
    const pk = 'identityKey' in of ? personPk(of.identityKey) : casePk(of.caseId);
    const page = await this.queryPage(
      'auditTrail',
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: SK.auditPrefix } },
        ConsistentRead: true,
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<AuditRecord>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
}
