/**
 * A fetch for Octokit that reads the whole body before handing it over, with a timeout. A timeout, a
 * connection cut mid-body or a JSON body that does not parse becomes a network error, which Octokit reports
 * as a 500 and plugin-retry retries. Plain fetch would let a truncated JSON body through as a string.
 */
export function bufferedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
      body = await response.arrayBuffer();
    } catch (error) {
      throw new TypeError('network error', {
        cause: new Error(`GitHub request failed: ${error instanceof Error ? error.message : String(error)}`),
      });
    }
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json') && body.byteLength > 0) {
      try {
        JSON.parse(new TextDecoder().decode(body));
      } catch {
        throw new TypeError('network error', {
          cause: new Error(`GitHub response body is not complete JSON (${body.byteLength} bytes)`),
        });
      }
    }
    const empty = [101, 204, 205, 304].includes(response.status);
    return new Response(empty ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
