import axios from 'axios';

/** Delivers one webhook as a partner would: POST with its headers, no retries of its own. */
export async function deliverWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  try {
    const response = await axios.post(url, body, {
      headers: { 'Content-Type': 'application/json', ...headers },
      timeout: 10_000,
      validateStatus: () => true,
      transformRequest: [(data: unknown) => data],
    });
    return { status: response.status, body: response.data as unknown };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}
