import type { PeriodFindings } from '../../checks/judge-period.js';
import path from 'node:path';
import type { App } from '../../app.js';
import type { AuditPeriod } from '../audit-period.js';
import { systemDescriptionFileName, writeSystemDescription } from './write.js';

/** `export --system-description`: the draft is written into the package before the manifest hashes it. */
export function withSystemDescription(
  app: App,
  period: AuditPeriod,
): { beforeManifest: (out: string, findings: PeriodFindings) => Promise<void> } {
  return {
    // The package's findings, judged once: the draft cites the same exceptions as the register.
    beforeManifest: async (out, findings) => {
      await writeSystemDescription(app, period, path.join(out, systemDescriptionFileName(period)), {
        packageDir: out,
        findings,
      });
    },
  };
}
