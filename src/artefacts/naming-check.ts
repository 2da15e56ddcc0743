import { evidenceFileName, extensionOf, parseEvidenceFileName } from '../export/naming.js';
import type { ArtefactType } from './artefact-types.js';

export interface NamingVerdict {
  readonly conforms: boolean;
  /** The name that follows the convention; equal to the original when it conforms. */
  readonly proposed: string;
  readonly reason?: string;
}

/**
 * An artefact name conforms when it follows `<criterion>_<Evidence_Name>_<period>.<ext>` with one of its
 * type's criteria and the period it was registered for. Otherwise we propose the name it should have.
 */
export function checkArtefactName(original: string, type: ArtefactType, period: string): NamingVerdict {
  const proposed = evidenceFileName(type.namePrefix, type.evidenceName, period, extensionOf(original));
  const parsed = parseEvidenceFileName(original);
  if (!parsed)
    return {
      conforms: false,
      proposed,
      reason: 'does not follow <criterion>_<Evidence_Name>_<period>.<ext>',
    };
  if (parsed.criterion !== type.namePrefix && !type.criteria.includes(parsed.criterion))
    return {
      conforms: false,
      proposed,
      reason: `criterion ${parsed.criterion} is not one a ${type.type} evidences`,
    };
  if (parsed.period !== period)
    return {
      conforms: false,
      proposed,
      reason: `period ${parsed.period} is not the registered period ${period}`,
    };
  return { conforms: true, proposed: original };
}
