import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

/**
 * How the workflow code is bundled: one declaration for `npm run build` (which writes the
 * deployed bundle), the worker run from the sources, the tests' prebuilt bundle and the
 * benchmarks, so what is tested and measured is what runs.
 */

/** Workflow interceptors, bundled with the workflows (a prebuilt bundle must include them). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/interceptors')];

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

interface LoaderRule {
  use?: { loader?: string; options?: Record<string, unknown> };
}

const ZOD_ON_FIRST_USE = join(__dirname, 'workflow-modules', 'zod-on-first-use.cjs');
/** zod's ES module build (its `import` entry), which is what the bundle took before the stand-in. */
const ZOD_ES_MODULE = join(dirname(require.resolve('zod/package.json')), 'index.js');

/**
 * The workflow code as ES modules, with webpack's used-exports and side-effects analysis on.
 *
 * Every run of a workflow evaluates the modules it requires afresh (module state is per run in
 * the worker's shared V8 context). The project's `.swcrc` compiles TypeScript to CommonJS (for
 * Jest), which made webpack take zod's CommonJS build whole: 95 of its modules evaluated by every
 * order, its 50-odd locales among them. As ES modules, webpack keeps the 19 a workflow reaches.
 * Behaviour is the same (zod declares which of its files have side effects; ours are all kept).
 */
export function workflowWebpackConfig(config: WebpackConfig): WebpackConfig {
  const rules = (config.module?.rules ?? []) as LoaderRule[];
  const typescript = rules.find((rule) => rule.use?.loader?.includes('swc-loader'));
  if (!typescript?.use) throw new Error('the workflow bundler no longer compiles TypeScript with swc-loader');
  typescript.use.options = { ...typescript.use.options, module: { type: 'es6' } };
  return {
    ...config,
    resolve: {
      ...config.resolve,
      alias: {
        ...(config.resolve?.alias as Record<string, string> | undefined),
        // Runs evaluate zod when they first build a schema (see the module for why).
        zod$: ZOD_ON_FIRST_USE,
        'zod-evaluated-on-first-use$': ZOD_ES_MODULE,
      },
    },
    optimization: { ...config.optimization, usedExports: true, sideEffects: true, providedExports: true },
  };
}

/** The options every workflow bundle of the hub is built with (`bundleWorkflowCode`). */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
  webpackConfigHook: workflowWebpackConfig,
} satisfies Omit<BundleOptions, 'logger'>;

/**
 * The bundle `npm run build` writes beside the compiled code (`dist/workflow-bundle.js`), built
 * from the TypeScript sources with the options above. The compiled workflow code is CommonJS
 * (tsc), which the TypeScript rule of the bundler never sees: bundled from it, a worker would run
 * other code than the tests replay.
 */
export const BUILT_WORKFLOW_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

/**
 * Where a worker takes its workflow code from: the bundle built with the image when there is one,
 * else the sources, bundled at start with the options above (the compiled code without a built
 * bundle is bundled as the SDK does by default, as before the options existed). With tracing on
 * the worker bundles at start whatever it runs from: the tracing plugin adds its workflow
 * interceptors only to a bundle the worker builds, and a prebuilt one without them would lose the
 * workflow's spans.
 */
export function workflowCode(options: {
  tracing: boolean;
}): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors' | 'bundlerOptions'> {
  if (!options.tracing && existsSync(BUILT_WORKFLOW_BUNDLE))
    return { workflowBundle: { codePath: BUILT_WORKFLOW_BUNDLE } };
  const fromSources = WORKFLOW_BUNDLE_OPTIONS.workflowsPath.endsWith('.ts');
  return {
    workflowsPath: WORKFLOW_BUNDLE_OPTIONS.workflowsPath,
    interceptors: { workflowModules: WORKFLOW_BUNDLE_OPTIONS.workflowInterceptorModules },
    ...(fromSources
      ? { bundlerOptions: { webpackConfigHook: WORKFLOW_BUNDLE_OPTIONS.webpackConfigHook } }
      : {}),
  };
}
