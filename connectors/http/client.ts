import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { classifyHttpError } from './errors';

export interface PartnerHttpOptions {
  partner: string;
  baseUrl: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  auth?: { username: string; password: string };
}

/** An HTTP client for one connector instance; every error leaves it classified for Temporal. */
export class PartnerHttpClient {
  readonly http: AxiosInstance;

  constructor(readonly options: PartnerHttpOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/?$/, '/'),
      timeout: options.timeoutMs,
      headers: { 'User-Agent': 'crossdock/0.1', ...options.headers },
      auth: options.auth,
      // A partner's API answers where it is asked: a redirect is an answer to classify, not to
      // follow with our credentials (and without the redirect layer, a call costs less CPU).
      maxRedirects: 0,
    });
  }

  async request<T>(config: AxiosRequestConfig): Promise<T> {
    try {
      const url = config.url?.replace(/^\//, '');
      const response = await this.http.request<T>({ ...config, url });
      return response.data;
    } catch (error) {
      throw classifyHttpError(this.options.partner, error);
    }
  }

  get<T>(url: string, config: AxiosRequestConfig = {}): Promise<T> {
    return this.request<T>({ ...config, method: 'GET', url });
  }

  post<T>(url: string, data?: unknown, config: AxiosRequestConfig = {}): Promise<T> {
    return this.request<T>({ ...config, method: 'POST', url, data });
  }
}
