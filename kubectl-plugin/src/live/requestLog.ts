// kubectl's -v request logging (client-go's round_trippers at klog levels 6-8), to stderr:
//   -v=6  GET https://…/api/v1/services?limit=500 200 OK in 12 milliseconds
//   -v=7  also the request line and headers before it is sent, credentials masked as kubectl masks them
//   -v=8  also the start of each response body
// Never a credential: Authorization values keep only their scheme (kubectl prints `Bearer <masked>`).

/** Response bodies are cut to this many characters (kubectl's -v=8 truncates them too). */
const BODY_LIMIT = 1024;

export class RequestLog {
  constructor(
    private readonly level: number,
    private readonly write: (line: string) => void,
  ) {}

  /** Whether requests are logged at all (callers skip the timing otherwise). */
  get enabled(): boolean {
    return this.level >= 6;
  }

  sending(method: string, url: URL, headers: Record<string, string | string[]>): void {
    if (this.level < 7) return;
    this.write(`${method} ${url.href}`);
    this.write('Request Headers:');
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) this.write(`    ${name}: ${maskCredential(name, v)}`);
    }
  }

  answered(method: string, url: URL, status: number, statusText: string | undefined, ms: number, body?: string): void {
    if (this.level < 6) return;
    this.write(`${method} ${url.href} ${status}${statusText ? ` ${statusText}` : ''} in ${Math.round(ms)} milliseconds`);
    if (this.level >= 8 && body !== undefined) {
      this.write(`Response Body: ${body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)} [truncated ${body.length - BODY_LIMIT} chars]` : body}`);
    }
  }

  failed(method: string, url: URL, ms: number, error: Error): void {
    if (this.level < 6) return;
    this.write(`${method} ${url.href}  in ${Math.round(ms)} milliseconds: ${error.message}`);
  }
}

/** An Authorization header keeps its scheme only; every other header is shown as sent. */
export function maskCredential(name: string, value: string): string {
  if (name.toLowerCase() !== 'authorization') return value;
  const scheme = /^(\S+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} <masked>` : '<masked>';
}
