import type { ColumnMapping, DateFormat, FieldName, HrFileConfig } from './config.js';
import { presets, type Preset } from './presets.js';

/** Where each field sits in an export's rows, and how its dates are written. */
export interface Layout {
  /** The preset that matched, or "mapping" when the explicit column mapping alone did. */
  readonly source: string;
  readonly index: Partial<Record<FieldName, number>>;
  readonly dateFormat: DateFormat;
}

const fieldWords: Record<FieldName, string> = {
  employeeId: 'employee id',
  email: 'work email',
  name: 'name',
  firstName: 'first name',
  lastName: 'last name',
  startDate: 'start date',
  endDate: 'end date',
  status: 'status',
  department: 'department',
  manager: 'manager',
  jobTitle: 'job title',
};

const normalise = (header: string) => header.trim().toLowerCase();

interface Attempt {
  readonly layout: Layout;
  /** Required fields not found, each with the headers looked for. */
  readonly missing: readonly string[];
}

function attempt(
  headers: readonly string[],
  mapping: ColumnMapping,
  preset: Preset | undefined,
  dateFormat: DateFormat | undefined,
): Attempt {
  const positions = new Map(headers.map((header, index) => [normalise(header), index] as const));
  const index: Partial<Record<FieldName, number>> = {};
  const looked: Partial<Record<FieldName, readonly string[]>> = {};
  for (const field of Object.keys(fieldWords) as FieldName[]) {
    const mapped = mapping[field];
    const names = mapped !== undefined ? [mapped] : (preset?.columns[field] ?? []);
    looked[field] = names;
    const found = names.map((name) => positions.get(normalise(name))).find((at) => at !== undefined);
    if (found !== undefined) index[field] = found;
  }
  const missing: string[] = [];
  const want = (field: FieldName) => {
    if (index[field] !== undefined) return;
    const names = looked[field] ?? [];
    missing.push(
      names.length
        ? `${fieldWords[field]} (${names.map((name) => `"${name}"`).join(' or ')})`
        : fieldWords[field],
    );
  };
  want('employeeId');
  want('email');
  want('startDate');
  if (index.name === undefined && (index.firstName === undefined || index.lastName === undefined)) {
    if (looked.name?.length || (!looked.firstName?.length && !looked.lastName?.length)) want('name');
    else {
      want('firstName');
      want('lastName');
    }
  }
  return {
    layout: {
      source: preset?.id ?? 'mapping',
      index,
      dateFormat: dateFormat ?? preset?.dateFormat ?? 'YYYY-MM-DD',
    },
    missing,
  };
}

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; problem: string };

/**
 * Finds the layout of an export from its header row: the configured preset (or, with `auto`, the first
 * preset whose required columns are all there), with the explicit mapping applied field by field. When
 * nothing matches, `problem` is one sentence naming the missing columns of the closest candidate.
 */
export function resolveLayout(
  headers: readonly string[],
  config: Pick<HrFileConfig, 'preset' | 'columns' | 'dateFormat'>,
): LayoutResult {
  const chosen = config.preset === 'auto' ? presets : presets.filter((preset) => preset.id === config.preset);
  const mapped = Object.values(config.columns).some((value) => value !== undefined);
  // The mapping alone first: when it names every required column, no preset is guessed.
  const candidates: (Preset | undefined)[] = [
    ...(mapped && config.preset === 'auto' ? [undefined] : []),
    ...chosen,
  ];
  const attempts = candidates.map((preset) => attempt(headers, config.columns, preset, config.dateFormat));
  const matched = attempts.find((entry) => entry.missing.length === 0);
  if (matched) return { ok: true, layout: matched.layout };
  const closest = [...attempts].sort((a, b) => a.missing.length - b.missing.length)[0];
  const what =
    config.preset === 'auto'
      ? `its columns match no preset${mapped ? ' and not the column mapping' : ''}`
      : `its columns do not match the ${config.preset} preset${mapped ? ' with the column mapping' : ''}`;
  const closestName =
    closest?.layout.source === 'mapping' ? 'the mapping' : `closest preset ${closest?.layout.source}`;
  return {
    ok: false,
    problem: `${what}: missing ${closest?.missing.join(', ') ?? 'every column'} (${closestName}); set connectors.hr-file.columns`,
  };
}
