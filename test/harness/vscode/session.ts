// What every end-to-end test does when it fails or ends: attach the code-server log tail and the
// browser's console errors to the failure, keep a screenshot and the log as artifacts, and close.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, type Workbench } from './browser.js';
import type { CodeServer } from './codeServer.js';

/** Adds the evidence a person needs to the error (and a `<name>-failure` screenshot); rethrows it. */
export async function failWithEvidence(e: unknown, name: string, cs: CodeServer | undefined, wb: Workbench | undefined): Promise<never> {
  await wb?.screenshot(`${name}-failure`).catch(() => {});
  const tail = cs ? `\n--- code-server log (tail) ---\n${cs.logTail(3000)}` : '';
  const errs = wb?.consoleErrors.length ? `\n--- browser console errors ---\n${wb.consoleErrors.slice(-10).join('\n')}` : '';
  if (e instanceof Error) e.message += tail + errs;
  throw e;
}

/** Keeps code-server's log as `<name>-code-server.log`, then closes the browser and code-server. */
export async function closeSession(name: string, cs: CodeServer | undefined, wb: Workbench | undefined): Promise<void> {
  if (cs) {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    try {
      copyFileSync(cs.logFile, join(ARTIFACTS_DIR, `${name}-code-server.log`));
    } catch {
      /* no log was written */
    }
  }
  await wb?.close();
  await cs?.stop();
}
