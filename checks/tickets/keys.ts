import type { ChangeView } from './change-facts.js';
import type { LinkagePolicy } from './policy.js';

/** The keys a change names, split by whether their project is in scope. */
export interface NamedKeys {
  readonly inScope: readonly string[];
  readonly outOfScope: readonly string[];
}

function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[0]);
}

export const projectOf = (key: string) => key.slice(0, key.lastIndexOf('-'));

/**
 * Ticket keys from the pull requests' titles, bodies and head branches and the commit message. Branch
 * names are often lower case (`alice/eng-12-fix`), so they are read case-insensitively, but only keys of
 * projects in scope count there: a branch `fix-2` names no ticket.
 */
export function namedKeys(
  change: ChangeView,
  policy: LinkagePolicy,
  projects: ReadonlySet<string>,
): NamedKeys {
  const strict = new RegExp(`\\b(?:${policy.keyPattern})\\b`, 'g');
  const loose = new RegExp(`(?:^|[^A-Za-z0-9])((?:${policy.keyPattern}))(?![A-Za-z0-9])`, 'gi');
  const ignored = policy.ignoreKeys.map((text) => new RegExp(text));
  const texts = [change.message, ...change.pullRequests.flatMap((pr) => [pr.title, pr.body])];
  const found = texts.flatMap((text) => matches(text, strict));
  const fromBranches = change.pullRequests
    .flatMap((pr) =>
      pr.headRefName ? [...pr.headRefName.matchAll(loose)].map((match) => match[1] ?? '') : [],
    )
    .map((key) => key.toUpperCase())
    .filter((key) => projects.has(projectOf(key)));
  const keys = [...new Set([...found, ...fromBranches])].filter((key) => !ignored.some((re) => re.test(key)));
  return {
    inScope: keys.filter((key) => projects.has(projectOf(key))),
    outOfScope: keys.filter((key) => !projects.has(projectOf(key))),
  };
}

/** Why a change needs no ticket, or undefined when it does. */
export function exemption(change: ChangeView, policy: LinkagePolicy): string | undefined {
  const own = policy.repositories[change.repo];
  if (own?.exempt) return `repository ${change.repo} is exempt`;
  const authors = new Set([...policy.exempt.authors, ...(own?.authors ?? [])]);
  const labels = new Set([...policy.exempt.labels, ...(own?.labels ?? [])]);
  const titles = [...policy.exempt.titlePatterns, ...(own?.titlePatterns ?? [])].map(
    (text) => new RegExp(text),
  );
  if (change.author && authors.has(change.author)) return `author ${change.author} is exempt`;
  const pr = change.pullRequests[0];
  const label = pr?.labels.find((name) => labels.has(name));
  if (label) return `label ${label} is exempt`;
  if (pr && titles.some((re) => re.test(pr.title))) return 'title matches an exempt pattern';
  return undefined;
}
