import type { App } from '../../app.js';
import type { GatheredEvidence } from '../../readiness/gather.js';
import { mapCriteriaToEvidence } from '../../readiness/evidence-map.js';
import { formatDuration } from '../../time.js';
import type { AuditPeriod } from '../audit-period.js';
import type { SignificantChange } from './describer.js';
import { paragraph, table, todo, type Block, type Section } from './model.js';
import type { PeopleBlocks } from './people.js';
import { populationCitation, type CitedFiles, type ConnectorContribution } from './sources.js';

export interface SectionInputs {
  readonly app: App;
  readonly period: AuditPeriod;
  readonly gathered: GatheredEvidence;
  readonly contributions: readonly ConnectorContribution[];
  readonly cited: CitedFiles;
  /** The people component from the people register. */
  readonly people: PeopleBlocks;
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const section = (heading: string, blocks: readonly Block[], level: 1 | 2 = 1): Section => ({
  heading,
  level,
  blocks,
});

/** A component the evidence says nothing about is marked to complete, never invented. */
function orMissing(blocks: readonly Block[], missing: string): readonly Block[] {
  return blocks.length ? blocks : [todo(missing)];
}

export function servicesSections({ app }: SectionInputs): Section[] {
  const categories = ['Security', ...app.config.audit.categories];
  return [
    section('Types of services provided', [
      todo('describe the services the organisation provides to its user entities'),
    ]),
    section('Principal service commitments and system requirements', [
      paragraph(`Trust services categories in scope (from the configuration): ${categories.join(', ')}.`),
      todo('the service commitments made to user entities (contracts, service level agreements, terms)'),
      todo('the system requirements (laws, regulations, internal policies) that support those commitments'),
    ]),
  ];
}

export function componentSections(inputs: SectionInputs): Section[] {
  const { contributions } = inputs;
  const part = (pick: (entry: ConnectorContribution) => readonly Block[] | undefined) =>
    contributions.flatMap((entry) => pick(entry) ?? []);
  return [
    section('Components of the system', [
      paragraph('Each component below starts with what the collected evidence shows.'),
    ]),
    section(
      'Infrastructure',
      orMissing(
        part((entry) => entry.contribution.infrastructure),
        'no infrastructure source (cloud accounts, code hosting) is configured; describe the infrastructure',
      ),
      2,
    ),
    section(
      'Software',
      [
        ...orMissing(
          part((entry) => entry.contribution.software),
          'no code repositories are collected; describe the software of the system',
        ),
        todo('the applications and their purpose, in business terms'),
      ],
      2,
    ),
    section(
      'People',
      [
        ...orMissing(
          [...inputs.people.workforce, ...part((entry) => entry.contribution.people)],
          'no workforce register or identity source is collected; give the headcount by department',
        ),
        ...inputs.people.admins,
        todo('the roles and teams that operate the system (governance, engineering, operations)'),
      ],
      2,
    ),
    section('Procedures', procedureBlocks(inputs), 2),
    section(
      'Data',
      [todo('the data the system processes (types, classification, flows in and out of the system)')],
      2,
    ),
  ];
}

function procedureBlocks({ app, period, gathered, cited }: SectionInputs): Block[] {
  const rows = app.registry.streams.map((stream) => {
    const cite = populationCitation(stream, period, gathered, cited);
    const coverage = gathered.continuity.streams.find((entry) => entry.stream === stream.id);
    return [
      stream.definition.description,
      stream.definition.population,
      formatDuration(stream.cadenceMs),
      stream.criteria.join(', '),
      `${cite.file} (${cite.rows ?? 0} rows)`,
      coverage ? `${coverage.coveragePercent.toFixed(1)}%` : 'not collected',
    ];
  });
  const checks = gathered.findings.checks.map((check) => [
    `${check.id}@${check.version}`,
    check.definition.criteria.join(', '),
    String(gathered.findings.forCheck(check.id).length),
  ]);
  return [
    paragraph('Evidence is collected continuously by evidence-worker; each stream below is a population.'),
    table(['Stream', 'Population', 'Cadence', 'Criteria', 'Population file', 'Period covered'], rows),
    paragraph('Checks in force over the period, each judging stored facts:'),
    checks.length ? table(['Check', 'Criteria', 'Findings'], checks) : todo('no checks are active'),
    todo('the manual procedures (onboarding, access reviews, incident response) and who performs them'),
  ];
}

export function boundarySections({ app, gathered, contributions }: SectionInputs): Section[] {
  const exclusions = contributions.flatMap((entry) =>
    (entry.contribution.exclusions ?? []).map((text) => [entry.connector, text]),
  );
  const vendors = gathered.artefacts.filter((entry) => /vendor|supplier/i.test(entry.type.type));
  return [
    section('System boundaries', [
      paragraph(
        `In scope: ${app.registry.connectors.length} connected systems, ${app.registry.streams.length} evidence streams.`,
      ),
      exclusions.length
        ? table(['System', 'Configured exclusion'], exclusions)
        : paragraph('No exclusions are configured: every resource the connectors can read is in scope.'),
      todo('what else lies outside the system boundary and why'),
    ]),
    section('Subservice organisations', [
      paragraph('The carve-out method is assumed for the connected services below.'),
      table(
        ['Subservice organisation', 'Services used'],
        contributions.map((entry) => [entry.connector, entry.description]),
      ),
      ...vendors.map((entry) =>
        paragraph(`Vendor register: ${entry.artefact.original_name}.`, [
          { file: entry.file ?? entry.artefact.file_name, sha256: entry.artefact.sha256 },
        ]),
      ),
      ...(vendors.length ? [] : [todo('vendors of the artefact register: none is registered')]),
      todo('the complementary subservice organisation controls expected of each subservice organisation'),
    ]),
  ];
}

const ENVIRONMENT: readonly { heading: string; pattern: RegExp }[] = [
  { heading: 'Control environment', pattern: /polic|code-of-conduct|training|org-chart|background/ },
  { heading: 'Risk assessment', pattern: /risk/ },
  { heading: 'Information and communication', pattern: /communicat|awareness|statement-of-applicability/ },
  { heading: 'Monitoring', pattern: /management-review|internal-audit|monitor/ },
];

export function environmentSections({ gathered, cited }: SectionInputs): Section[] {
  return [
    section(
      'Relevant aspects of the control environment, risk assessment, information and communication, and monitoring',
      [paragraph('From the artefact register of the period.')],
    ),
    ...ENVIRONMENT.map(({ heading, pattern }) => {
      const types = gathered.artefactTypes.filter((type) => pattern.test(type.type));
      const blocks = types.map((type) => {
        const kept = gathered.artefacts.filter((entry) => entry.type.type === type.type);
        if (!kept.length) return paragraph(`${type.title}: missing, none is registered for the period.`);
        return paragraph(
          `${type.title}: ${kept.map((entry) => `${entry.artefact.period_label} (${day(entry.artefact.period_start)})`).join(', ')}.`,
          kept.map((entry) =>
            cited.add({ file: entry.file ?? entry.artefact.file_name, sha256: entry.artefact.sha256 }),
          ),
        );
      });
      return section(heading, [...blocks, todo(`how ${heading.toLowerCase()} operates`)], 2);
    }),
  ];
}

export function userEntitySections(): Section[] {
  return [
    section('Complementary user entity controls', [
      todo(
        'controls user entities must operate (e.g. managing their own users, reviewing access they grant)',
      ),
    ]),
    section('Significant incidents', [
      todo('incidents of the period that caused a failure to meet service commitments, or state none'),
    ]),
  ];
}

export function changeSection({ app, period, gathered, contributions, cited }: SectionInputs): Section {
  const changes: SignificantChange[] = contributions.flatMap((entry) => entry.contribution.changes ?? []);
  // Continuity gaps are changes in how the controls were evidenced, whatever the connector.
  for (const entry of gathered.continuity.streams) {
    if (entry.kind === 'artefact') continue;
    const stream = app.registry.streams.find((candidate) => candidate.id === entry.stream);
    if (!stream) continue;
    const cite = populationCitation(stream, period, gathered, cited);
    for (const gap of entry.gaps.filter((candidate) => candidate.cause !== 'not_yet_due'))
      changes.push({
        at: gap.start,
        text: `Collection gap in ${stream.id} until ${new Date(gap.end).toISOString()} (${gap.cause}${gap.errorCode ? `, ${gap.errorCode}` : ''})`,
        cite,
      });
    for (const silent of entry.silent)
      changes.push({
        at: silent.start,
        text: `${stream.id} yielded nothing until ${new Date(silent.end).toISOString()}`,
        cite,
      });
  }
  changes.sort((a, b) => a.at - b.at || a.text.localeCompare(b.text));
  return section('Significant changes during the period', [
    paragraph(`${changes.length} changes found in the evidence of ${period.label}.`),
    changes.length
      ? table(
          ['Date (UTC)', 'Change', 'Source'],
          changes.map((change) => [
            day(change.at),
            change.text,
            change.cite ? `${change.cite.file} (${change.cite.rows ?? 0} rows)` : '',
          ]),
        )
      : paragraph('The evidence shows no significant change.'),
    todo('changes the evidence cannot show (organisation, services, subservice organisations)'),
  ]);
}

export function criteriaSection({ gathered }: SectionInputs): Section {
  const rows = mapCriteriaToEvidence(gathered).map((row) => [
    row.criterion,
    row.title,
    row.origins.map((origin) => origin.iso_control_id).join(', '),
    [...row.streams.map((entry) => entry.stream.id), ...row.artefacts.map((entry) => entry.type.type)].join(
      ', ',
    ) || 'none',
    String(row.population),
  ]);
  return section('Trust services criteria in scope and the evidence for them', [
    paragraph('From the control–evidence index of the period.'),
    table(['Criterion', 'Title', 'ISO 27001:2022 origin', 'Evidence', 'Population'], rows),
    todo('the controls the organisation operates for each criterion, in its own words'),
  ]);
}
