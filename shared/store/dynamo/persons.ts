/**
 * Persons on DynamoDB: the PROFILE item of a person's partition (`P#<identity key>`), created once
 * and replaced only at the version it was read at, each change with its audit record in the same
 * transaction. Errors and audit subjects carry the masked identity key, never the key itself.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { maskIdentity as maskIdentityKey } from '#domain/identity.js';
import type { PersonRepository } from '../case-store.js';
import { NotFoundError } from '../errors.js';
import { personPk, SK } from '../keys.js';
import { type ChangeContext, type Person, type PersonInput, personInput } from '../model.js';
import { fromItem, type Item, parse, toItem, type Write } from './common.js';
import { DynamoRepository } from './repository.js';

export class DynamoPersons extends DynamoRepository implements PersonRepository {
  private personWrite(
    input: PersonInput,
    expectedVersion: number | null,
    ctx: ChangeContext,
  ): { write: Write; person: Person } {
    const p = parse(personInput, input, 'person');
    const at = this.now().toISOString();
    const person: Person = {
      ...p,
      version: (expectedVersion ?? 0) + 1,
      createdAt: at,
      updatedAt: at,
    };
    const pk = personPk(p.identityKey);
    const masked = maskIdentityKey(p.identityKey);
    const action = expectedVersion === null ? 'person-created' : 'person-updated';
    const item = toItem({ pk, sk: SK.profile, type: 'person', ...person });
    return {
      person,
      write: {
        actions: [
          expectedVersion === null
            ? this.put(item, 'attribute_not_exists(pk)')
            : this.versionedPutKeepingCreated(item, expectedVersion),
          this.auditAction(pk, `person:${masked}`, action, ctx, { person: person.version }),
        ],
        labels: [
          { entity: 'person', id: masked, expectedVersion, guard: expectedVersion === null ? 'create' : 'version' },
          { entity: 'audit', id: masked, expectedVersion: null, guard: 'append' },
        ],
      },
    };
  }

  private versionedPutKeepingCreated(item: Item, expectedVersion: number): TransactWriteItem {
    // createdAt cannot be known without a read; a Put replaces the item, so an Update keeps it.
    const { pk, sk, createdAt: _created, ...rest } = item;
    const names: Record<string, string> = { '#v': 'version' };
    const values: Item = { ':v': { N: String(expectedVersion) } };
    const sets: string[] = [];
    Object.entries(rest).forEach(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      sets.push(`#a${i} = :a${i}`);
    });
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: pk!, sk: sk! },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  async createPerson(person: PersonInput, ctx: ChangeContext): Promise<Person> {
    const w = this.personWrite(person, null, ctx);
    await this.transact('createPerson', w.write);
    return w.person;
  }

  async updatePerson(person: PersonInput, expectedVersion: number, ctx: ChangeContext): Promise<Person> {
    const w = this.personWrite(person, expectedVersion, ctx);
    await this.transact('updatePerson', w.write);
    return this.getPerson(person.identityKey);
  }

  async getPerson(identityKey: string): Promise<Person> {
    const item = await this.getItem('getPerson', personPk(identityKey), SK.profile);
    if (!item) throw new NotFoundError('person', maskIdentityKey(identityKey));
    return fromItem<Person>(item);
  }
}
