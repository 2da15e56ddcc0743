/**
 * GitHub REST objects in their full published shape (the tests check them against GitHub's OpenAPI
 * schemas), built from the sandbox's model. Only the fields the connector reads carry meaning.
 */
import type { SandboxCheckRun, SandboxForcePush, SandboxRepository, SandboxReview } from './org-model.js';

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
const idOf = (text: string) =>
  [...text].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7) % 1e8;

export function simpleUser(api: string, login: string) {
  const url = `${api}/users/${login}`;
  return {
    login,
    id: idOf(login),
    node_id: `U_${login}`,
    avatar_url: `https://avatars.example.test/${login}`,
    gravatar_id: '',
    url,
    html_url: `https://github.example.test/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

const REPO_URLS = [
  'archive',
  'assignees',
  'blobs',
  'branches',
  'collaborators',
  'comments',
  'commits',
  'compare',
  'contents',
  'contributors',
  'deployments',
  'downloads',
  'events',
  'forks',
  'git_commits',
  'git_refs',
  'git_tags',
  'hooks',
  'issue_comment',
  'issue_events',
  'issues',
  'keys',
  'labels',
  'languages',
  'merges',
  'milestones',
  'notifications',
  'pulls',
  'releases',
  'stargazers',
  'statuses',
  'subscribers',
  'subscription',
  'tags',
  'teams',
  'trees',
];

/** `pushedAt`: when anything last reached one of its branches (null before the first push). */
export function minimalRepository(
  api: string,
  repo: SandboxRepository,
  org: string,
  pushedAt: number | null,
) {
  const url = `${api}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    owner: { ...simpleUser(api, org), type: 'Organization' },
    private: true,
    html_url: `https://github.example.test/${repo.fullName}`,
    description: `The ${repo.name} service`,
    fork: false,
    url,
    ...Object.fromEntries(REPO_URLS.map((name) => [`${name}_url`, `${url}/${name.replace('_', '/')}`])),
    archived: repo.archived,
    disabled: false,
    default_branch: repo.defaultBranch,
    visibility: 'private',
    pushed_at: pushedAt === null ? null : iso(pushedAt),
  };
}

export function fullRepository(api: string, repo: SandboxRepository, org: string, pushedAt: number | null) {
  const created = repo.createdAt ?? Date.UTC(2020, 0, 1);
  return {
    ...minimalRepository(api, repo, org, pushedAt),
    clone_url: `https://github.example.test/${repo.fullName}.git`,
    git_url: `git://github.example.test/${repo.fullName}.git`,
    ssh_url: `git@github.example.test:${repo.fullName}.git`,
    svn_url: `https://github.example.test/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 100,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    license: null,
    pushed_at: iso(pushedAt ?? created),
    created_at: iso(created),
    updated_at: iso(created),
    network_count: 0,
    subscribers_count: 0,
  };
}

export function activity(api: string, push: SandboxForcePush) {
  return {
    id: push.id,
    node_id: `A_${push.id}`,
    before: push.before,
    after: push.after,
    ref: push.ref,
    timestamp: iso(push.at),
    activity_type: 'force_push',
    actor: simpleUser(api, push.actor),
  };
}

export function pullRequestReview(api: string, repo: string, number: number, review: SandboxReview) {
  const html = `https://github.example.test/${repo}/pull/${number}`;
  return {
    id: review.id,
    node_id: `PRR_${review.id}`,
    user: simpleUser(api, review.reviewer),
    body: '',
    state: review.state,
    html_url: `${html}#pullrequestreview-${review.id}`,
    pull_request_url: `${api}/repos/${repo}/pulls/${number}`,
    _links: { html: { href: html }, pull_request: { href: `${api}/repos/${repo}/pulls/${number}` } },
    submitted_at: iso(review.submittedAt),
    commit_id: review.commitId,
    author_association: 'MEMBER',
  };
}

export function checkRun(api: string, repo: string, sha: string, run: SandboxCheckRun, at: number) {
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: sha,
    external_id: String(run.id),
    url: `${api}/repos/${repo}/check-runs/${run.id}`,
    html_url: `https://github.example.test/${repo}/runs/${run.id}`,
    details_url: null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: iso(at - 120_000),
    completed_at: iso(at - 60_000),
    output: {
      title: run.name,
      summary: run.conclusion,
      text: null,
      annotations_count: 0,
      annotations_url: `${api}/repos/${repo}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: 1 },
    app: null,
    pull_requests: [],
  };
}

export function collaborator(api: string, login: string, permission: 'pull' | 'push' | 'admin') {
  return {
    ...simpleUser(api, login),
    permissions: {
      pull: true,
      triage: permission !== 'pull',
      push: permission !== 'pull',
      maintain: permission === 'admin',
      admin: permission === 'admin',
    },
    role_name: permission === 'pull' ? 'read' : permission === 'push' ? 'write' : 'admin',
  };
}
