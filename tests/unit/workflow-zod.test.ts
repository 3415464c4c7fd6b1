import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-bundle';

/**
 * The workflow bundle's `zod` lists the members of `z` it hands out
 * (worker/workflow-modules/zod-on-first-use.cjs). Every `z.member` read as a value in a module the
 * bundle holds must be one of them, or that workflow fails its task when it reaches the read.
 */
const ROOT = resolve(__dirname, '..', '..');
const listed = Object.keys(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stand-in is CommonJS, as webpack needs it
  (require('../../worker/workflow-modules/zod-on-first-use.cjs') as { z: object }).z,
);

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((file) => existsSync(file));
}

/** The project's modules the bundle holds: the workflows' and interceptors' relative imports, followed. */
function bundledModules(): Map<string, ts.SourceFile> {
  const modules = new Map<string, ts.SourceFile>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    modules.set(file, source);
    const follow = (specifier: ts.Expression | undefined) => {
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return;
      const target = resolveModule(file, specifier.text);
      if (target) visit(target);
    };
    const walk = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) follow(node.moduleSpecifier);
      if (ts.isExportDeclaration(node) && !node.isTypeOnly) follow(node.moduleSpecifier);
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require')
        follow(node.arguments[0]);
      ts.forEachChild(node, walk);
    };
    walk(source);
  };
  visit(WORKFLOW_BUNDLE_OPTIONS.workflowsPath);
  WORKFLOW_BUNDLE_OPTIONS.workflowInterceptorModules.forEach(visit);
  return modules;
}

/** `z.member` read as a value (a type such as `z.infer<…>` is a qualified name, gone at run time). */
function zodMembersRead(source: ts.SourceFile): string[] {
  const importsZod = source.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      !s.importClause?.isTypeOnly &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text === 'zod',
  );
  if (!importsZod) return [];
  const members: string[] = [];
  const walk = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'z'
    )
      members.push(node.name.text);
    ts.forEachChild(node, walk);
  };
  walk(source);
  return members;
}

describe("the workflow bundle's zod", () => {
  const modules = bundledModules();

  it('follows the workflow code to its modules', () => {
    expect(modules.size).toBeGreaterThan(30);
    expect([...modules.keys()].map((file) => relative(ROOT, file))).toEqual(
      expect.arrayContaining(['workflows/orders/order-process.ts', 'domain/orders/order.ts']),
    );
  });

  it('lists every member of z the bundled code reads', () => {
    const missing = [...modules.values()].flatMap((source) =>
      zodMembersRead(source)
        .filter((member) => !listed.includes(member))
        .map((member) => `z.${member} in ${relative(ROOT, source.fileName)}`),
    );
    expect(missing).toEqual([]);
  });

  it('finds the reads it checks', () => {
    const read = new Set([...modules.values()].flatMap(zodMembersRead));
    expect([...read].sort()).toEqual([...listed].sort());
  });
});
