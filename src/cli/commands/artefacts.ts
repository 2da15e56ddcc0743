import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../../export/cli-arguments.js';
import { parsePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

const addArguments = z.object({
  file: z.string('expected the artefact file').min(1, 'expected the artefact file'),
  type: z
    .string('expected an artefact type (see "artefacts types")')
    .regex(/^[a-z0-9-]+$/, 'expected an artefact type such as access-review'),
  period: z
    .string('expected a period such as 2026-Q2')
    .regex(/^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/, 'expected 2026, 2026-H1, 2026-Q2 or 2026-04'),
  owner: z.string().trim().min(1, 'expected a name').max(200, 'expected at most 200 characters').optional(),
});

async function add(
  file: string | undefined,
  options: Record<string, unknown>,
  command: Command,
): Promise<void> {
  const args = parseArguments(addArguments, { ...options, file }, ['file']);
  const { requireArtefactFile, addArtefact } = await import('../../artefacts/add-artefact.js');
  requireArtefactFile(args.file);
  const period = parsePeriod(args.period);
  const { openApp } = await import('../../app.js');
  const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
  try {
    const added = await addArtefact(app, { ...args, period });
    const { artefact, naming, type } = added;
    console.log(
      `${added.alreadyRegistered ? 'already registered' : 'registered'}: ${type.title} ${period.label} sha256 ${artefact.sha256} (${artefact.bytes} bytes)`,
    );
    console.log(`criteria: ${type.criteria.join(', ') || 'system description (DC 200 section III)'}`);
    if (naming.conforms) console.log(`name follows the convention: ${artefact.original_name}`);
    else
      console.log(
        `name does not follow the convention (${naming.reason}); proposed name: ${naming.proposed}`,
      );
    if (added.facts) console.log(added.facts.recorded);
    else if (type.type === 'access-review')
      // Said, so that a reviewer who returned a PDF is not surprised that no revoke is followed up.
      console.log(
        'no review decisions read: only the review workbook (.xlsx) or its CSV carries decisions for the checks; this file counts as the review being present',
      );
  } finally {
    await app.close();
  }
}

async function list(options: { json?: boolean }, command: Command): Promise<void> {
  const { openApp } = await import('../../app.js');
  const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
  try {
    const { openArtefactRegister } = await import('../../artefacts/open-register.js');
    const { register } = await openArtefactRegister(app);
    const rows = await register.list();
    if (options.json) console.log(JSON.stringify(rows, null, 2));
    else if (rows.length === 0)
      console.log('No artefacts registered: add one with "artefacts add FILE --type TYPE --period P".');
    for (const row of options.json ? [] : rows) {
      console.log(
        `${row.period_label.padEnd(8)} ${row.type.padEnd(28)} ${row.file_name}${row.name_conforms ? '' : ` (was ${row.original_name})`}  ${row.sha256.slice(0, 12)}  ${row.owner ?? ''}`,
      );
    }
  } finally {
    await app.close();
  }
}

async function listTypes(_options: unknown, command: Command): Promise<void> {
  const { openApp } = await import('../../app.js');
  const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
  try {
    const { openArtefactRegister } = await import('../../artefacts/open-register.js');
    const { types } = await openArtefactRegister(app);
    for (const type of types)
      console.log(
        `${type.type.padEnd(28)} ${type.recurrence.padEnd(9)} ${type.criteria.join(', ') || 'DC 200 III'}  (${type.source})`,
      );
  } finally {
    await app.close();
  }
}

export const artefactsCommand: CliCommand = {
  name: 'artefacts',
  register(program: Command) {
    const artefacts = program
      .command('artefacts')
      .description('the ISO 27001 artefact register and its evidence locker');
    artefacts
      .command('add')
      .argument('[file]', 'the artefact file (copied into the locker)')
      .description(
        'register an ISO artefact for a period; checks its name and proposes one that follows the convention',
      )
      .option('--type <type>', 'artefact type, e.g. access-review (see "artefacts types")')
      .option('--period <period>', 'the period it covers: 2026-Q2, 2026-H1, 2026 or 2026-04')
      .option('--owner <name>', 'who owns it')
      .action((file: string | undefined, options: Record<string, unknown>, command: Command) =>
        add(file, options, command),
      );
    artefacts
      .command('list')
      .description('list registered artefacts')
      .option('--json', 'print JSON')
      .action(list);
    artefacts
      .command('types')
      .description('list artefact types, their recurrence and criteria')
      .action(listTypes);
  },
};
