import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readSettings } from '../../platform/settings';
import { ensureKubernetesValidator, validateManifests } from '../../platform/infra/kubernetes-validator';

// No cluster runs here: the manifests are decoded strictly into client-go's own types (an unknown
// field, a wrong type or an unknown kind fails), then checked for what a production rollout needs.
const DIR = join(__dirname, '..', '..', 'deploy', 'kubernetes');
const ROOT = join(__dirname, '..', '..');
const manifests = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
  .map((name) => join(DIR, name));

type Doc = {
  kind: string;
  metadata: { name: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, each field read is asserted below
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};
const docs: Doc[] = manifests.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS() as Doc),
);
const ofKind = (kind: string) => docs.filter((doc) => doc.kind === kind);
const one = (kind: string): Doc => {
  const found = ofKind(kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
};
const deployment = (name: string) => ofKind('Deployment').find((d) => d.metadata.name === name)!;
const podLabels = (d: Doc) => d.spec.template.metadata.labels as Record<string, string>;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

function sourcesOf(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sourcesOf(join(folder, entry.name));
    return entry.name.endsWith('.ts') ? [readFileSync(join(ROOT, folder, entry.name), 'utf8')] : [];
  });
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  let validator: string;
  beforeAll(() => {
    validator = ensureKubernetesValidator(readSettings().cacheDir);
  }, 600_000);

  it('decode strictly as Kubernetes objects', () => {
    const result = validateManifests(validator, manifests);
    expect(result.output).not.toMatch(/error/i);
    expect(result.ok).toBe(true);
    expect(result.output.match(/ ok$/gm)).toHaveLength(docs.length);
  });

  it('are refused when a field is misspelt or has the wrong type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
    const api = readFileSync(join(DIR, 'api.yaml'), 'utf8');
    const misspelt = join(dir, 'misspelt.yaml');
    writeFileSync(misspelt, api.replace('containerPort: 3000', 'containerPortt: 3000'));
    const mistyped = join(dir, 'mistyped.yaml');
    writeFileSync(mistyped, api.replace('replicas: 2', 'replicas: two'));
    const first = validateManifests(validator, [misspelt]);
    expect(first.ok).toBe(false);
    expect(first.output).toContain(
      'unknown field "spec.template.spec.containers[0].ports[0].containerPortt"',
    );
    const second = validateManifests(validator, [mistyped]);
    expect(second.ok).toBe(false);
    expect(second.output).toMatch(/replicas of type int32/);
  });

  it('are all applied by the kustomization, except the example Secret', () => {
    const kustomization = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS();
    const expected = manifests
      .map((file) => file.slice(DIR.length + 1))
      .filter((name) => name !== 'secret.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(expected.sort());
  });

  it('run the API and the worker with probes on the health endpoints, requests and a drain that fits the grace period', () => {
    const drains = { 'crossdock-api': 25, 'crossdock-worker': 20 }; // api/main.ts, worker shutdownGrace
    for (const [name, drainSeconds] of Object.entries(drains)) {
      const pod = deployment(name).spec.template.spec;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
      for (const container of pod.containers) {
        expect(container.image).toMatch(/^ghcr\.io\/crossdock\/hub:/);
        expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.livenessProbe.httpGet.path).toBe('/health/live');
        expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
        const ports = container.ports.map((p: { name: string }) => p.name);
        expect(ports).toContain(container.livenessProbe.httpGet.port);
        expect(ports).toContain(container.readinessProbe.httpGet.port);
        expect(container.envFrom).toEqual([
          { configMapRef: { name: one('ConfigMap').metadata.name } },
          { secretRef: { name: one('Secret').metadata.name } },
        ]);
      }
    }
    const env = one('ConfigMap').data!;
    const worker = deployment('crossdock-worker').spec.template.spec.containers[0];
    expect(worker.ports[0].containerPort).toBe(Number(env.WORKER_HEALTH_PORT));
  });

  it('scale the API on CPU and keep both processes available through voluntary disruptions', () => {
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'crossdock-api',
    });
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const budgets = ofKind('PodDisruptionBudget');
    for (const name of ['crossdock-api', 'crossdock-worker'])
      expect(
        budgets.filter((pdb) => selects(pdb.spec.selector.matchLabels, podLabels(deployment(name)))),
      ).toHaveLength(1);
    const service = one('Service');
    expect(selects(service.spec.selector, podLabels(deployment('crossdock-api')))).toBe(true);
  });

  it('set only variables the hub reads', () => {
    const source = ['platform', 'api', 'worker', 'db'].flatMap(sourcesOf).join('\n');
    const config = readFileSync(join(ROOT, 'crossdock.config.yaml'), 'utf8');
    const keys = [...Object.keys(one('ConfigMap').data!), ...Object.keys(one('Secret').stringData!)];
    const unread = keys.filter(
      (key) => !source.includes(`'${key}'`) && !source.includes(`.${key}`) && !config.includes(key),
    );
    expect(unread).toEqual([]);
  });
});
