import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { ROOT, runCli } from '../support/cli.js';

// The README is the operator's first manual: every command, flag and file it names must exist.

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function program(): Command {
  const root = new Command('evidence-worker').option('-c, --config <file>');
  for (const command of commands) command.register(root);
  return root;
}

/** Every `evidence-worker …` invocation the README shows, in code blocks or inline code. */
function invocations(): string[] {
  const code = [...readme.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g)].map((m) => m[1] ?? m[2]!);
  const found = new Set<string>();
  for (const match of code.join('\n').matchAll(/(?:npx )?evidence-worker((?: [^\s`#|]+)+)/g)) {
    const words = match[1]!.trim();
    if (/^[a-z-]/.test(words)) found.add(words);
  }
  return [...found];
}

function optionNames(command: Command): Set<string> {
  const names = new Set<string>(['--help', '-h']);
  const collect = (options: readonly Option[]) => {
    for (const option of options) {
      if (option.long) names.add(option.long);
      if (option.short) names.add(option.short);
    }
  };
  for (let at: Command | null = command; at; at = at.parent) collect(at.options);
  return names;
}

/** The command a line runs (`keys generate`, `checks run`) and the flags it passes. */
function resolve(words: string): { command: Command | undefined; path: string; flags: string[] } {
  let command: Command | undefined = program();
  const names: string[] = [];
  const flags: string[] = [];
  for (const word of words.split(' ')) {
    if (word.startsWith('-')) {
      flags.push(word.replace(/^\[/, '').split('=')[0]!);
      continue;
    }
    const sub: Command | undefined = command?.commands.find((c) => c.name() === word);
    if (sub && flags.length === 0) {
      command = sub;
      names.push(word);
    }
  }
  if (names.length === 0) command = undefined;
  return { command, path: names.join(' '), flags };
}

describe('README', () => {
  it('shows only commands and flags the CLI has', () => {
    const lines = invocations();
    expect(lines.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const line of lines) {
      if (line.startsWith('--config') || line.startsWith('-c ')) continue;
      const { command, path: name, flags } = resolve(line);
      if (!command) {
        wrong.push(`${line}: no such command`);
        continue;
      }
      const known = optionNames(command);
      for (const flag of flags.map((f) => f.replace(/[[\]]/g, '')))
        if (!known.has(flag)) wrong.push(`${line}: ${name} has no ${flag}`);
    }
    expect(wrong).toEqual([]);
  });

  it('names only files that exist', () => {
    const missing: string[] = [];
    const paths = readme.matchAll(
      /`((?:src|connectors|checks|test|bench|config|scripts|jobs|drills|bin)\/[^`\s]*|[\w.-]+\.(?:yaml|yml|md))`(?!\])|\]\(([^)#\s]+)\)/g,
    );
    for (const match of paths) {
      const file = (match[1] ?? match[2])!;
      // Placeholders and patterns (`connectors/<id>/`, `checks/<id>.ts`, `dist/…`) name no one file.
      if (/[<>…*{}]/.test(file) || /^https?:/.test(file)) continue;
      if (!existsSync(path.join(ROOT, file))) missing.push(file);
    }
    expect(missing).toEqual([]);
  });

  it('its example config, copied as it says, lists the streams with nothing set in the environment', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-readme-'));
    const file = path.join(dir, 'evidence-worker.yaml');
    copyFileSync(path.join(ROOT, 'evidence-worker.example.yaml'), file);
    const result = await runCli(['--config', file, 'streams']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^github-production-changes {2}\(events, every 1d\)$/m);
  });
});
