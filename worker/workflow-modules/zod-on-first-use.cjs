'use strict';
/*
 * `zod` as the workflow bundle resolves it (worker/workflow-bundle.ts): its `z`, whose members
 * evaluate zod the first time a workflow run reads one, not when the run's modules load.
 *
 * The worker evaluates a workflow's modules afresh for every run (module state is per run in its
 * reused V8 context), and the schemas the order workflow uses are built on first use (`lazily`).
 * So an order run that parses nothing (intake to delivery with no Update, no channel change)
 * need not evaluate zod: before this stand-in every run evaluated zod's modules, and kept them
 * for as long as it stayed in the worker's cache. A run that parses gets zod as any module would.
 *
 * CommonJS on purpose: an ES module's imports are evaluated before the module that imports them,
 * where a `require` runs when it is reached. Each member is read as `require(…).z.member`, which
 * webpack follows: it keeps only the zod modules these members need (21), as it did for the
 * workflow code's own imports. A member read dynamically would make it keep, and evaluate, all of
 * zod (95 modules, its locales among them). So the members are listed: `z.X` in code the workflow
 * bundle holds needs X here (tests/unit/workflow-zod.test.ts checks that it is).
 */

const z = {
  get array() {
    return require('zod-evaluated-on-first-use').z.array;
  },
  get boolean() {
    return require('zod-evaluated-on-first-use').z.boolean;
  },
  get email() {
    return require('zod-evaluated-on-first-use').z.email;
  },
  get enum() {
    return require('zod-evaluated-on-first-use').z.enum;
  },
  get iso() {
    return require('zod-evaluated-on-first-use').z.iso;
  },
  get literal() {
    return require('zod-evaluated-on-first-use').z.literal;
  },
  get number() {
    return require('zod-evaluated-on-first-use').z.number;
  },
  get object() {
    return require('zod-evaluated-on-first-use').z.object;
  },
  get string() {
    return require('zod-evaluated-on-first-use').z.string;
  },
};

// zod is an ES module: webpack's interop reads `__esModule` of every importer as it loads.
module.exports = { __esModule: true, z };
