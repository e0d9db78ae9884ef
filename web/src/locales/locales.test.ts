import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zhCN from './zh-CN.json';
import enUS from './en-US.json';
import { MENU_ITEMS } from '../nav/menu';
import { PROJECT_TYPES, ROLES } from '../nav/roles';
import { pickLocale } from '../i18n/locale';

const zh = zhCN as Record<string, string>;
const en = enUS as Record<string, string>;
const srcDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('locale messages', () => {
  it('zh-CN and en-US have exactly the same keys', () => {
    const zhKeys = Object.keys(zh).sort();
    const enKeys = Object.keys(en).sort();
    expect(zhKeys.filter((k) => !(k in en)), 'missing in en-US').toEqual([]);
    expect(enKeys.filter((k) => !(k in zh)), 'missing in zh-CN').toEqual([]);
  });

  it('keys follow area.page.thing and no message is empty', () => {
    for (const [k, v] of Object.entries({ ...zh, ...en })) {
      expect(k).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*\.[a-zA-Z][a-zA-Z0-9_]*$/);
      expect(v.trim(), k).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh)) expect(vars(en[k] ?? ''), k).toEqual(vars(zh[k]));
  });

  it('cover every role, project type and menu item', () => {
    const needed = [
      ...ROLES.map((r) => `common.role.${r}`),
      ...PROJECT_TYPES.map((t) => `common.projectType.${t}`),
      ...MENU_ITEMS.map((i) => i.labelId),
    ];
    for (const id of needed) expect(zh, id).toHaveProperty([id]);
  });

  it('cover every literal message id used in the source', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bid(?:=|:\s*)['"]([a-z]+\.[a-zA-Z]+\.[a-zA-Z0-9_]+)['"]/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bt\(['"]([a-z]+\.[a-zA-Z]+\.[a-zA-Z0-9_]+)['"]\)/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((id) => !(id in zh))).toEqual([]);
  });

  it('Chinese is the default, English only when chosen', () => {
    expect(pickLocale(null)).toBe('zh-CN');
    expect(pickLocale('fr-FR')).toBe('zh-CN');
    expect(pickLocale('en-US')).toBe('en-US');
  });
});
