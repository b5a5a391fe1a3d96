// The error type of the live commands. main.ts prints it as kubectl would: server answers and
// connection failures as is (`Error from server (Forbidden): …`, `The connection to the server …
// was refused …`), client-side problems (kubeconfig, exec plugin) as `error: …`. Exit code 2.
export class LiveError extends Error {
  constructor(
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number,
    /** Status.reason (Forbidden, NotFound, Expired, Conflict, ...). */
    readonly reason?: string,
    /** Print as `error: <message>` (kubectl does for client-side errors). */
    readonly prefixed = false,
  ) {
    super(message);
  }
}

/** How main.ts prints a LiveError. */
export function formatLiveError(e: LiveError): string {
  return `${e.prefixed ? 'error: ' : ''}${e.message}\n`;
}
