import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { STATE_GAUGES } from '../../api/metrics';
import { registry } from '../../platform/metrics';

// Prometheus' own PromQL grammar; the package is an ES module with a CommonJS build, required here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as {
  parser: {
    parse(expr: string): { iterate(visit: { enter(node: { type: { isError: boolean } }): void }): void };
  };
};

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'monitoring');

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}
const rules = (
  parse(readFileSync(join(DIR, 'crossdock-alerts.yaml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(readFileSync(join(DIR, 'crossdock-dashboard.json'), 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};
const expressions = [
  ...rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
  ...dashboard.panels.flatMap((panel) =>
    panel.targets.map((t) => ({ where: `panel ${panel.title}`, expr: t.expr })),
  ),
];

/** Every series name the hub exposes: its own metrics (histograms with their suffixes) and the state gauges. */
function exposedNames(): Set<string> {
  const names = new Set(STATE_GAUGES.map((gauge) => gauge.name));
  for (const metric of registry.getMetricsAsArray()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

/** PromQL syntax errors in `expr`, as Prometheus' own grammar (its Lezer parser) finds them. */
function syntaxErrors(expr: string): number {
  let errors = 0;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors += 1;
    },
  });
  return errors;
}

describe('the monitoring shipped in deploy/monitoring', () => {
  it('has alerts and panels whose PromQL parses', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const { where, expr } of expressions)
      expect({ where, errors: syntaxErrors(expr) }).toEqual({ where, errors: 0 });
  });

  it('reads only metrics the hub exposes', () => {
    const names = exposedNames();
    for (const { where, expr } of expressions)
      for (const [name] of expr.matchAll(/crossdock_\w+/g))
        expect({ where, name, exposed: names.has(name) }).toEqual({ where, name, exposed: true });
  });

  it('gives every alert a severity, a summary and a runbook section that exists', () => {
    const operations = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const rule of rules) {
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['info', 'warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      const anchor = rule.annotations.runbook.split('#')[1]!;
      const headings = [...operations.matchAll(/^#+ (.+)$/gm)].map(([, title]) =>
        title!
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .trim()
          .replace(/\s+/g, '-'),
      );
      expect(headings).toContain(anchor);
      // Each alert is explained in that section by name.
      expect(operations).toContain(`\`${rule.alert}\``);
    }
  });
});
