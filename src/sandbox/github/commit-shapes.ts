import type { SandboxCommit, SandboxRepository } from './org-model.js';
import { simpleUser } from './rest-shapes.js';

const seconds = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A commit as REST returns it (`commit` in GitHub's OpenAPI description): compare lists, branch heads. */
export function restCommit(api: string, commit: SandboxCommit) {
  const at = seconds(commit.committedAt);
  const url = `${api}/repos/${commit.repo}/commits/${commit.sha}`;
  return {
    url,
    sha: commit.sha,
    node_id: `C_${Buffer.from(commit.sha.slice(0, 12)).toString('base64')}`,
    html_url: `https://github.example.test/${commit.repo}/commit/${commit.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${api}/repos/${commit.repo}/git/commits/${commit.sha}`,
      author: { name: commit.author, email: `${commit.author}@users.noreply.github.com`, date: at },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: at },
      message: commit.message,
      comment_count: 0,
      tree: {
        sha: commit.sha.split('').reverse().join(''),
        url: `${api}/repos/${commit.repo}/git/trees/${commit.sha.split('').reverse().join('')}`,
      },
      verification: {
        verified: false,
        reason: 'unsigned',
        payload: null,
        signature: null,
        verified_at: null,
      },
    },
    author: simpleUser(api, commit.author),
    committer: simpleUser(api, 'web-flow'),
    parents: [],
  };
}

/** `compare/{base}...{head}` (`commit-comparison`): the commits reachable from head and not from base. */
export function comparison(
  api: string,
  repo: SandboxRepository,
  ends: { base: SandboxCommit; head: SandboxCommit },
  total: number,
  page: unknown[],
) {
  const basehead = `${ends.base.sha}...${ends.head.sha}`;
  const html = `https://github.example.test/${repo.fullName}/compare/${basehead}`;
  return {
    url: `${api}/repos/${repo.fullName}/compare/${basehead}`,
    html_url: html,
    permalink_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: restCommit(api, ends.base),
    merge_base_commit: restCommit(api, ends.base),
    status: total ? 'ahead' : 'identical',
    ahead_by: total,
    behind_by: 0,
    total_commits: total,
    commits: page,
    files: [],
  };
}

/** `branches/{branch}` (`branch-with-protection`): the branch and the commit it points at. */
export function branchWithHead(api: string, repo: SandboxRepository, head: SandboxCommit) {
  const self = `${api}/repos/${repo.fullName}/branches/${repo.defaultBranch}`;
  return {
    name: repo.defaultBranch,
    commit: restCommit(api, head),
    _links: { self, html: `https://github.example.test/${repo.fullName}/tree/${repo.defaultBranch}` },
    protected: true,
    protection: { enabled: true },
    protection_url: `${self}/protection`,
  };
}
