/**
 * Definition intake from a synthesized CloudFormation template.
 *
 * CDK renders a state machine as an AWS::StepFunctions::StateMachine whose DefinitionString is usually an
 * Fn::Join of JSON fragments and Ref / Fn::GetAtt tokens (Lambda ARNs, table and bucket names). We resolve those
 * tokens with a caller-supplied map, falling back to deterministic local values derived from the template itself, and
 * remember which logical id each resolved value came from so Task bindings can be given by logical id.
 */
import { DefinitionError } from './errors.js';
import type { AslDefinition, Json } from './types.js';

export interface CfnTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  [k: string]: unknown;
}

export interface ResolveOptions {
  /**
   * Values for `Ref X`, `Fn::GetAtt [X, Attr]` and pseudo parameters. Keys: a logical id ("ArrearsFn"), a logical id
   * with attribute ("ArrearsFn.Arn"), or a pseudo parameter ("AWS::Region"). For GetAtt X.Arn, a value under "X" is
   * used when "X.Arn" is absent.
   */
  values?: Record<string, string>;
  /**
   * When a token is not in `values`, derive a local value from the resource type (default true): Lambda Arn →
   * arn:aws:lambda:REGION:ACCOUNT:function:LOGICALID, Ref of a table/bucket/queue → the logical id, etc.
   * With false, any token missing from `values` is an error.
   */
  deriveMissing?: boolean;
}

export interface ResolvedStateMachine {
  logicalId: string;
  /** StateMachineName property when given as a literal, else the logical id. */
  name: string;
  definition: AslDefinition;
  /** Resolved value → logical id it came from (lets bindings be given by logical id). */
  tokenOrigins: Map<string, string>;
}

const DEFAULT_PSEUDO: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '000000000000',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
  'AWS::StackId': 'arn:aws:cloudformation:us-east-1:000000000000:stack/local/00000000-0000-0000-0000-000000000000',
  'AWS::NoValue': '',
};

class Resolver {
  readonly origins = new Map<string, string>();
  constructor(
    private readonly template: CfnTemplate,
    private readonly opts: ResolveOptions,
  ) {}

  private pseudo(name: string): string {
    const v = this.opts.values?.[name] ?? DEFAULT_PSEUDO[name];
    if (v === undefined) throw new DefinitionError(`Unknown pseudo parameter ${name}`);
    return v;
  }

  private resourceType(id: string): string {
    const r = this.template.Resources?.[id];
    if (!r) throw new DefinitionError(`Template has no resource "${id}" (referenced by an intrinsic function)`);
    return r.Type;
  }

  private record(value: string, logicalId: string): string {
    if (!this.origins.has(value)) this.origins.set(value, logicalId);
    return value;
  }

  ref(id: string): string {
    if (id.startsWith('AWS::')) return this.pseudo(id);
    const given = this.opts.values?.[id];
    if (given !== undefined) return this.record(given, id);
    if (this.opts.deriveMissing === false) throw new DefinitionError(`No value supplied for Ref ${id}`);
    const type = this.resourceType(id);
    const region = this.pseudo('AWS::Region');
    const account = this.pseudo('AWS::AccountId');
    // Ref of most resources is a name; these are the exceptions that matter to state machines.
    const derived =
      type === 'AWS::SQS::Queue'
        ? `https://sqs.${region}.amazonaws.com/${account}/${id}`
        : type === 'AWS::SNS::Topic'
          ? `arn:aws:sns:${region}:${account}:${id}`
          : type === 'AWS::StepFunctions::StateMachine'
            ? `arn:aws:states:${region}:${account}:stateMachine:${id}`
            : id;
    return this.record(derived, id);
  }

  getAtt(id: string, attr: string): string {
    const given = this.opts.values?.[`${id}.${attr}`] ?? (attr === 'Arn' ? this.opts.values?.[id] : undefined);
    if (given !== undefined) return this.record(given, id);
    if (this.opts.deriveMissing === false) throw new DefinitionError(`No value supplied for Fn::GetAtt ${id}.${attr}`);
    const type = this.resourceType(id);
    const region = this.pseudo('AWS::Region');
    const account = this.pseudo('AWS::AccountId');
    const partition = this.pseudo('AWS::Partition');
    const arnByType: Record<string, string> = {
      'AWS::Lambda::Function': `arn:${partition}:lambda:${region}:${account}:function:${id}`,
      'AWS::DynamoDB::Table': `arn:${partition}:dynamodb:${region}:${account}:table/${id}`,
      'AWS::S3::Bucket': `arn:${partition}:s3:::${id}`,
      'AWS::SQS::Queue': `arn:${partition}:sqs:${region}:${account}:${id}`,
      'AWS::SNS::Topic': `arn:${partition}:sns:${region}:${account}:${id}`,
      'AWS::StepFunctions::StateMachine': `arn:${partition}:states:${region}:${account}:stateMachine:${id}`,
      'AWS::Events::EventBus': `arn:${partition}:events:${region}:${account}:event-bus/${id}`,
    };
    if (attr === 'Arn' && arnByType[type]) return this.record(arnByType[type], id);
    if (attr === 'Name' || attr === 'QueueName' || attr === 'TopicName') return this.record(id, id);
    if (attr === 'QueueUrl') return this.record(`https://sqs.${region}.amazonaws.com/${account}/${id}`, id);
    throw new DefinitionError(`Cannot derive Fn::GetAtt ${id}.${attr} (${type}); supply it in values`);
  }

  resolve(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.resolve(n));
    if (node === null || typeof node !== 'object') return node;
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const key = keys[0]!;
      const arg = obj[key];
      switch (key) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return this.getAtt(String(id), attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          const resolvedParts = this.resolve(parts);
          if (!Array.isArray(resolvedParts)) throw new DefinitionError('Fn::Join needs a list');
          return resolvedParts.map((p) => String(p)).join(sep);
        }
        case 'Fn::Sub':
          return this.sub(arg);
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const l = this.resolve(list);
          if (!Array.isArray(l)) throw new DefinitionError('Fn::Select needs a list');
          return l[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, unknown];
          return String(this.resolve(s)).split(sep);
        }
        default:
          if (key.startsWith('Fn::') || key === 'Condition')
            throw new DefinitionError(`Intrinsic function ${key} is not supported by local-sfn template intake`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(obj[k])]));
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    const resolvedVars = this.resolve(vars ?? {}) as Record<string, unknown>;
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (name in resolvedVars) return String(resolvedVars[name]);
      if (name.startsWith('AWS::')) return this.pseudo(name);
      const dot = name.indexOf('.');
      return dot < 0 ? this.ref(name) : this.getAtt(name.slice(0, dot), name.slice(dot + 1));
    });
  }
}

/** Any part of the template with its Ref / Fn::GetAtt / Fn::Join / Fn::Sub resolved (e.g. a schedule's target). */
export function resolveTemplateValue(template: CfnTemplate, node: unknown, options: ResolveOptions = {}): unknown {
  return new Resolver(template, options).resolve(node);
}

/** Logical ids of every AWS::StepFunctions::StateMachine in the template. */
export function listStateMachines(template: CfnTemplate): string[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map(([id]) => id);
}

/** Resolves one state machine resource of a synthesized template into an ASL object. */
export function stateMachineFromTemplate(
  template: CfnTemplate,
  logicalId: string,
  options: ResolveOptions = {},
): ResolvedStateMachine {
  const resource = template.Resources?.[logicalId];
  if (resource?.Type !== 'AWS::StepFunctions::StateMachine')
    throw new DefinitionError(`Template has no AWS::StepFunctions::StateMachine "${logicalId}"`);
  const props = resource.Properties ?? {};
  if (props.DefinitionS3Location)
    throw new DefinitionError(`${logicalId}: DefinitionS3Location is not supported; synthesize the definition inline`);
  const resolver = new Resolver(template, options);
  let definition: unknown;
  if (props.DefinitionString !== undefined) {
    const text = resolver.resolve(props.DefinitionString);
    if (typeof text !== 'string')
      throw new DefinitionError(`${logicalId}: DefinitionString did not resolve to a string`);
    definition = parseJson(text, logicalId);
  } else if (props.Definition !== undefined) {
    definition = resolver.resolve(props.Definition);
  } else {
    throw new DefinitionError(`${logicalId}: no Definition or DefinitionString`);
  }
  const substitutions = props.DefinitionSubstitutions
    ? (resolver.resolve(props.DefinitionSubstitutions) as Record<string, unknown>)
    : undefined;
  if (substitutions) definition = substitute(definition, substitutions, logicalId);
  const name = typeof props.StateMachineName === 'string' ? props.StateMachineName : logicalId;
  return { logicalId, name, definition: definition as AslDefinition, tokenOrigins: resolver.origins };
}

/** Every state machine in the template, by logical id. */
export function stateMachinesFromTemplate(
  template: CfnTemplate,
  options: ResolveOptions = {},
): Record<string, ResolvedStateMachine> {
  return Object.fromEntries(
    listStateMachines(template).map((id) => [id, stateMachineFromTemplate(template, id, options)]),
  );
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DefinitionError(
      `${where}: definition is not valid JSON after resolving intrinsics: ${(e as Error).message}`,
    );
  }
}

function substitute(node: unknown, subs: Record<string, unknown>, where: string): unknown {
  if (typeof node === 'string') {
    // A string that is exactly one placeholder takes the substitution's own JSON type, as Step Functions does.
    const whole = /^\$\{([^}]+)\}$/.exec(node);
    if (whole && whole[1]! in subs) return subs[whole[1]!] as Json;
    return node.replace(/\$\{([^}]+)\}/g, (m, k: string) => {
      if (!(k in subs)) throw new DefinitionError(`${where}: no DefinitionSubstitutions value for ${m}`);
      return String(subs[k]);
    });
  }
  if (Array.isArray(node)) return node.map((n) => substitute(n, subs, where));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, subs, where)]));
  return node;
}
