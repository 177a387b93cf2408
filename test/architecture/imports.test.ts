/**
 * Imports point one way: the pure core (domain → schemas → params → rules) never reaches the store, the
 * application, the handlers, the stack, the tooling or AWS; nothing that ships imports tools/, bench/ or test/.
 * The check runs on the real tree, and on planted violations to show it can fail.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject, type SourceFile } from './layers.js';

const ROOT = join(import.meta.dirname, '../..');
const plant = (path: string, ...imports: string[]): SourceFile => ({
  path,
  text: imports.map((s, i) => `import x${i} from '${s}';`).join('\n'),
});

describe('import directions', () => {
  it('hold for every TypeScript file of the project', () => {
    expect(checkProject(ROOT)).toEqual([]);
  });

  it.each([
    [
      'shared/rules imports the store',
      plant('shared/rules/arrears/x.ts', '#store/model.js'),
      'shared/rules may not import shared/store',
    ],
    [
      'shared/rules imports the store by a relative path',
      plant('shared/rules/arrears/x.ts', '../../store/model.js'),
      'shared/rules may not import shared/store',
    ],
    [
      'shared/params imports the rules',
      plant('shared/params/x.ts', '#rules/engine.js'),
      'shared/params may not import shared/rules',
    ],
    [
      'shared/params imports the application',
      plant('shared/params/x.ts', '#app/clock.js'),
      'shared/params may not import shared/app',
    ],
    [
      'shared/rules imports an AWS package',
      plant('shared/rules/x.ts', '@aws-sdk/client-dynamodb'),
      'shared/rules may not import @aws-sdk/*',
    ],
    [
      'shared/params imports middy',
      plant('shared/params/x.ts', '@middy/core'),
      'shared/params may not import @middy/*',
    ],
    [
      'shared/schemas imports the store (type only)',
      { path: 'shared/schemas/x.ts', text: "import type { X } from '#store/model.js';" },
      'shared/schemas may not import shared/store',
    ],
    [
      'shared/store imports a handler',
      plant('shared/store/x.ts', '#functions/api/routes.js'),
      'shared/store may not import functions',
    ],
    ['shared/app imports the stack', plant('shared/app/x.ts', '../../infra/app.js'), 'shared/app may not import infra'],
    [
      'shared/app imports the tooling (dynamic import)',
      { path: 'shared/app/x.ts', text: "await import('#tools/local-sfn/index.js');" },
      'shared/app may not import tools',
    ],
    [
      'a handler imports the stack',
      plant('functions/api/x.ts', '#infra/system-stack.js'),
      'functions may not import infra',
    ],
    [
      'a handler imports the tooling',
      plant('functions/x.ts', '#tools/local-runtime/runtime.js'),
      'functions may not import tools',
    ],
    ['the stack imports the tooling', plant('infra/x.ts', '#tools/local-sfn/index.js'), 'infra may not import tools'],
    ['the stack imports a test', plant('infra/x.ts', '../test/support/dynamodb-local.js'), 'infra may not import test'],
    [
      'a re-export up the layers',
      { path: 'shared/domain/x.ts', text: "export * from '#rules/engine.js';" },
      'shared/domain may not import shared/rules',
    ],
    ['an unknown subpath', plant('shared/rules/x.ts', '#nowhere/x.js'), 'no package.json subpath import matches it'],
  ])('fails when %s', (_what, planted, why) => {
    const found = checkProject(ROOT, [planted]);
    expect(found).toEqual([expect.objectContaining({ file: planted.path, why })]);
  });

  it('allows what the layers allow', () => {
    const allowed = [
      plant('shared/rules/x.ts', '#params/store.js', '#schemas/common.js', '#domain/calendar.js', 'zod', 'node:crypto'),
      plant('shared/store/x.ts', '#rules/engine.js', '@aws-sdk/client-dynamodb'),
      plant('infra/x.ts', '#functions/api/routes.js', 'aws-cdk-lib'),
      plant('tools/x.ts', '#infra/app.js'),
    ];
    expect(checkProject(ROOT, allowed)).toEqual([]);
  });
});
