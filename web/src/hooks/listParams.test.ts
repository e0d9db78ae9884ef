import { describe, expect, it } from 'vitest';
import { parseListParams, sortOrderOf, sortParam, toApiQuery, toSearchParams } from './listParams';

describe('list params', () => {
  it('defaults to the first page of 20', () => {
    const p = parseListParams(new URLSearchParams(''));
    expect(toApiQuery(p)).toEqual({ limit: 20, offset: 0 });
    expect(toSearchParams(p).toString()).toBe('');
  });

  it('maps page/size/q/filters to limit/offset', () => {
    const p = parseListParams(new URLSearchParams('page=3&size=50&q=%20幕墙%20&type=mep&junk=1'), ['type']);
    expect(toApiQuery(p)).toEqual({ limit: 50, offset: 100, q: '幕墙', type: 'mep' });
    expect(Object.fromEntries(toSearchParams(p))).toEqual({ q: '幕墙', type: 'mep', page: '3', size: '50' });
  });

  it('ignores nonsense', () => {
    const p = parseListParams(new URLSearchParams('page=-2&size=7&sort=name;drop'));
    expect(p.page).toBe(1);
    expect(p.size).toBe(20);
    expect(p.sort).toBe('');
  });

  it('passes the sort through and maps antd sort orders', () => {
    const p = parseListParams(new URLSearchParams('sort=-name'));
    expect(toApiQuery(p)).toEqual({ limit: 20, offset: 0, sort: '-name' });
    expect(sortOrderOf(p.sort, 'name')).toBe('descend');
    expect(sortOrderOf('', 'name', 'name')).toBe('ascend');
    expect(sortOrderOf('tier', 'name')).toBeNull();
    expect(sortParam('name', 'descend')).toBe('-name');
    expect(sortParam('name', 'ascend')).toBe('name');
    expect(sortParam('name', null)).toBe('');
  });
});
