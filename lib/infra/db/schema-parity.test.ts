import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The two Prisma schemas (one per provider; Prisma takes one provider per schema) must describe
// the same tables. A small line reader rather than @prisma/internals' getDMMF: that package is
// not a dependency, and the schemas use only one-line fields and block attributes.

const PRISMA_DIR = join(__dirname, '..', '..', '..', 'prisma');

/** Every difference the two schemas may have, as `block.key`; anything else fails the test. */
const ALLOWED_DIFFERENCES = [
  'generator client.output', // each provider's client is generated into its own folder
  'datasource db.provider', // sqlite | postgresql
  'datasource db.url', // a never-used literal of the provider's URL form (see the schema comment)
] as const;
// Native types (@db.*) are not allowed to differ: neither schema uses one today. Add an entry
// above, naming model and field, if a PostgreSQL-only native type is ever needed.

type Field = { name: string; type: string; attributes: string[]; doc: string[] };
type Block = {
  kind: string;
  name: string;
  doc: string[];
  fields: Field[];
  blockAttributes: string[];
  settings: Record<string, string>;
};

/** Splits `@id @default(uuid()) @map("x")` into its attributes, keeping nested parentheses whole. */
function splitAttributes(text: string): string[] {
  const attributes: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (const char of text) {
    if (char === '"') inString = !inString;
    if (!inString && char === '(') depth += 1;
    if (!inString && char === ')') depth -= 1;
    if (!inString && depth === 0 && char === '@' && current.trim() !== '' && !current.endsWith('@')) {
      attributes.push(current.trim());
      current = '';
    }
    current += char;
  }
  if (current.trim() !== '') attributes.push(current.trim());
  return attributes.map((attribute) => attribute.replace(/\s+/g, ' '));
}

/** Drops a trailing `// comment`, but not a `//` inside a string such as a URL default. */
function stripComment(line: string): string {
  let inString = false;
  for (let index = 0; index < line.length; index += 1) {
    if (line[index] === '"') inString = !inString;
    if (!inString && line.startsWith('//', index)) return line.slice(0, index).trim();
  }
  return line;
}

function parseSchema(text: string): Map<string, Block> {
  const blocks = new Map<string, Block>();
  let block: Block | undefined;
  let doc: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('///')) {
      doc.push(line.slice(3).trim());
      continue;
    }
    const code = stripComment(line);
    if (code === '') continue;
    const opening = /^(model|enum|generator|datasource|view|type)\s+(\w+)\s*\{$/.exec(code);
    if (opening) {
      const [, kind = '', name = ''] = opening;
      block = { kind, name, doc, fields: [], blockAttributes: [], settings: {} };
      blocks.set(`${kind} ${name}`, block);
    } else if (code === '}') {
      block = undefined;
    } else if (!block) {
      throw new Error(`schema line outside a block: ${line}`);
    } else if (code.startsWith('@@')) {
      block.blockAttributes.push(...splitAttributes(code));
    } else if (block.kind === 'generator' || block.kind === 'datasource') {
      const [key = '', ...value] = code.split('=');
      block.settings[key.trim()] = value.join('=').trim();
    } else {
      const [name = '', type = '', ...rest] = code.split(/\s+/);
      block.fields.push({ name, type, attributes: splitAttributes(rest.join(' ')), doc });
    }
    doc = [];
  }
  return blocks;
}

/** `generator client.output` → ['generator client', 'output'] */
function splitAllowed(allowed: string): [blockKey: string, setting: string] {
  const dot = allowed.lastIndexOf('.');
  return [allowed.slice(0, dot), allowed.slice(dot + 1)];
}

/** The schema with the allowed differences blanked out, so the rest compares equal. */
function comparable(blocks: Map<string, Block>): Record<string, Block> {
  const result: Record<string, Block> = {};
  for (const [key, block] of blocks) {
    const settings = { ...block.settings };
    for (const allowed of ALLOWED_DIFFERENCES) {
      const [blockKey, setting] = splitAllowed(allowed);
      if (blockKey === key && setting in settings) settings[setting] = '<provider-specific>';
    }
    result[key] = { ...block, settings };
  }
  return result;
}

function readSchema(provider: string): string {
  return readFileSync(join(PRISMA_DIR, provider, 'schema.prisma'), 'utf8');
}

function migrationNames(provider: string): string[] {
  return readdirSync(join(PRISMA_DIR, provider, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('the SQLite and PostgreSQL Prisma schemas', () => {
  const sqlite = parseSchema(readSchema('sqlite'));
  const postgres = parseSchema(readSchema('postgres'));

  it('declare the same models with the same fields, types, optionality and attributes', () => {
    expect(sqlite.size).toBeGreaterThan(10);
    expect(sqlite.get('model Account')?.fields.find((field) => field.name === 'email')).toEqual({
      name: 'email',
      type: 'String',
      attributes: ['@unique'],
      doc: ['Stored lower-cased (normalizeEmail) so the unique index is case-insensitive in effect.'],
    });
    expect(comparable(postgres)).toEqual(comparable(sqlite));
  });

  it('differ only where a difference is allowed, and each allowed difference is used', () => {
    const used = ALLOWED_DIFFERENCES.filter((allowed) => {
      const [blockKey, setting] = splitAllowed(allowed);
      return sqlite.get(blockKey)?.settings[setting] !== postgres.get(blockKey)?.settings[setting];
    });
    expect(used).toEqual([...ALLOWED_DIFFERENCES]);
    expect(sqlite.get('datasource db')?.settings.provider).toBe('"sqlite"');
    expect(postgres.get('datasource db')?.settings.provider).toBe('"postgresql"');
  });

  it('have the same migrations, in the same order', () => {
    const names = migrationNames('sqlite');
    expect(names.length).toBeGreaterThan(0);
    expect(migrationNames('postgres')).toEqual(names);
  });

  it('would be caught drifting: a changed default, optionality or index fails the comparison', () => {
    const text = readSchema('sqlite');
    const drifts = [
      text.replace('@default(false) @map("email_verified")', '@map("email_verified")'),
      text.replace('passwordHash          String?', 'passwordHash          String '),
      text.replace('@@index([expiresAt])', ''),
      text.replace('@@map("accounts")', '@@map("account")'),
      text.replace('@id @default(uuid())', '@id @default(cuid())'),
    ];
    for (const drifted of drifts) {
      expect(drifted).not.toBe(text);
      expect(comparable(parseSchema(drifted))).not.toEqual(comparable(sqlite));
    }
  });
});
