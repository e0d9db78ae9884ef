import { describe, expect, it } from 'vitest';
import { match } from 'pinyin-pro';
import { loadPinyinMatcher, makeMatcher, mergeOptions, substringMatch } from './pinyinSearch';

const m = makeMatcher(match);

describe('pinyin search', () => {
  it('finds Chinese names by initials, full pinyin or a mix', () => {
    for (const q of ['hx', 'HX', 'huaxin', 'hua xin', "hua'xin", 'huax', 'hxkj', 'kj', 'keji']) expect(m('华鑫科技有限公司', q), q).toBe(true);
    expect(m('上海华鑫置业', 'hx')).toBe(true);
    expect(m('华东数据科技有限公司', 'hdsj')).toBe(true);
    expect(m('张江数据中心二期机房工程', 'zjsj')).toBe(true);
    expect(m('重庆银行', 'cqyh')).toBe(true); // a polyphone read in context
  });

  it('keeps plain substring search and refuses non-matches', () => {
    expect(m('华鑫科技有限公司', '华鑫')).toBe(true);
    expect(m('精密空调 CRAC-01', 'crac-01')).toBe(true);
    expect(m('精密空调 CRAC-01', 'jmkt')).toBe(true);
    expect(m('华鑫科技有限公司', 'hxn')).toBe(false);
    expect(m('上海华鑫置业', 'shz')).toBe(false); // not consecutive
    expect(m('Acme Ltd', 'hx')).toBe(false);
    expect(m('华鑫', '12')).toBe(false);
    expect(m('华鑫', '')).toBe(true);
  });

  it('falls back to substring while the dictionary loads', () => {
    expect(substringMatch('华鑫科技', ' 鑫科 ')).toBe(true);
    expect(substringMatch('华鑫科技', 'hx')).toBe(false);
  });

  it('loads the dictionary lazily, once', async () => {
    const a = loadPinyinMatcher();
    expect(loadPinyinMatcher()).toBe(a);
    expect((await a)('华鑫', 'hx')).toBe(true);
  });

  it('adds local pinyin matches after the server results, without duplicates', () => {
    const server = [{ value: 1, label: '华鑫科技' }];
    const local = [
      { value: 1, label: '华鑫科技' },
      { value: 2, label: '上海华鑫置业' },
      { value: 3, label: '苏州恒通物流' },
    ];
    expect(mergeOptions(server, local, 'hx', m).map((o) => o.value)).toEqual([1, 2]);
    expect(mergeOptions([], local, 'htwl', m).map((o) => o.value)).toEqual([3]);
  });
});
