import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

/**
 * Every answer the hub gives an e2e test is checked against the OpenAPI document it serves: a
 * status the operation does not document, or a JSON body its schema refuses, fails the request
 * that got it (the document is the contract external systems code against).
 */
class AnswerContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ path: string; pattern: RegExp; parameters: number }>;

  constructor(private readonly document: Document) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: 'openapi.json' });
    this.templates = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
        parameters: (path.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** Why the answer breaks the contract, or undefined when it keeps it. */
  breach(
    method: string,
    path: string,
    status: number,
    contentType: string,
    body: unknown,
  ): string | undefined {
    const template = this.templates.find((t) => t.pattern.test(path));
    const operation = template && this.document.paths[template.path]![method.toLowerCase()];
    if (!template || !operation) return undefined; // the 404/405 of an undocumented path or method
    const response = operation.responses?.[String(status)];
    if (!response) return `status ${status} is not documented for ${method} ${template.path}`;
    if (!contentType.includes('application/json') || !response.content?.['application/json']?.schema)
      return undefined;
    const pointer = ['paths', template.path, method.toLowerCase(), 'responses', String(status), 'content']
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const key = `${pointer}/application~1json/schema`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json#/${key}` });
      this.compiled.set(key, validate);
    }
    if (validate(body)) return undefined;
    return `${method} ${path} answered ${status} with a body its schema refuses: ${this.ajv.errorsText(validate.errors)}`;
  }
}

const bases = new Map<string, AnswerContract>();

/** Checks every answer of the hub at `apiUrl` (as served by `document`) from now on. */
export function checkAnswersOf(apiUrl: string, document: Document): void {
  bases.set(apiUrl, new AnswerContract(document));
}

export function stopCheckingAnswersOf(apiUrl: string): void {
  bases.delete(apiUrl);
}

function check(response: AxiosResponse): AxiosResponse {
  const url = new URL(axios.getUri(response.config));
  const contract = bases.get(url.origin);
  if (!contract) return response;
  const breach = contract.breach(
    String(response.config.method ?? 'get'),
    url.pathname,
    response.status,
    String(response.headers['content-type'] ?? ''),
    response.data,
  );
  if (breach) {
    // The body says why an undocumented status (a 500 above all) was answered.
    const body = JSON.stringify(response.data)?.slice(0, 500);
    throw new Error(`the answer breaks the API contract: ${breach}; the body: ${body}`);
  }
  return response;
}

const onRejected = (error: { response?: AxiosResponse }) => {
  if (error.response) check(error.response);
  return Promise.reject(error);
};

/** Every axios instance, and the default one, checks the answers of the hubs registered. */
export function installAnswerContract(): void {
  const watch = (instance: AxiosInstance) => instance.interceptors.response.use(check, onRejected);
  watch(axios);
  const create = axios.create.bind(axios);
  axios.create = ((...args: Parameters<typeof axios.create>) => {
    const instance = create(...args);
    watch(instance);
    return instance;
  }) as typeof axios.create;
}
