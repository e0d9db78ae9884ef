import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { ConfigProvider } from 'antd';
import type { Locale as AntdLocale } from 'antd/es/locale';
import antdZhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { DEFAULT_LOCALE, loadLocale, loadMessages, messagesIfLoaded, saveLocale, type Locale, type Messages } from './locale';
import { FullPageSpin } from '../layout/FullPageSpin';

interface LocaleContextValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleContextValue>({ locale: DEFAULT_LOCALE, setLocale: () => {} });

export function useLocale(): LocaleContextValue {
  return useContext(LocaleContext);
}

// Chinese-first font stack (antd's default names no CJK fonts).
export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', " +
  "'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', Roboto, 'Helvetica Neue', " +
  "Arial, sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol', 'Noto Color Emoji'";

interface Loaded {
  locale: Locale;
  messages: Messages;
  antd: AntdLocale;
}

/** Messages and antd texts of a locale; the English ones come from their own chunks. */
async function loadAll(locale: Locale): Promise<Loaded> {
  const [messages, antd] = await Promise.all([
    loadMessages(locale),
    locale === 'zh-CN' ? Promise.resolve(antdZhCN) : import('antd/es/locale/en_US').then((m) => m.default),
  ]);
  return { locale, messages, antd };
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [wanted, setWanted] = useState<Locale>(loadLocale);
  // what is shown: the wanted locale once its messages are here (the previous one until then)
  const [shown, setShown] = useState<Loaded | null>(() => {
    const m = messagesIfLoaded(wanted);
    return m && wanted === 'zh-CN' ? { locale: wanted, messages: m, antd: antdZhCN } : null;
  });

  useEffect(() => {
    if (shown?.locale === wanted) return;
    let live = true;
    loadAll(wanted)
      .then((l) => live && setShown(l))
      .catch(() => {
        // the English chunk could not be fetched: stay in (or fall back to) Chinese
        if (live) setShown((s) => s ?? { locale: DEFAULT_LOCALE, messages: messagesIfLoaded(DEFAULT_LOCALE)!, antd: antdZhCN });
      });
    return () => {
      live = false;
    };
  }, [wanted, shown?.locale]);

  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    setWanted(next);
  }, []);

  const locale = shown?.locale ?? DEFAULT_LOCALE;
  useEffect(() => {
    if (!shown) return;
    document.documentElement.lang = locale;
    document.title = shown.messages['common.app.name'];
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  }, [shown, locale]);

  const ctx = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);

  if (!shown) return <FullPageSpin />;
  return (
    <LocaleContext.Provider value={ctx}>
      <IntlProvider locale={locale} defaultLocale={DEFAULT_LOCALE} messages={shown.messages}>
        <ConfigProvider locale={shown.antd} theme={{ token: { colorPrimary: '#1677ff', fontFamily: FONT_FAMILY } }}>
          {children}
        </ConfigProvider>
      </IntlProvider>
    </LocaleContext.Provider>
  );
}
