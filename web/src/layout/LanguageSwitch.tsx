import { Segmented } from 'antd';
import { useIntl } from 'react-intl';
import { useLocale } from '../i18n/I18nProvider';
import { LOCALES, type Locale } from '../i18n/locale';

const LABEL_IDS: Record<Locale, string> = { 'zh-CN': 'common.locale.zhCN', 'en-US': 'common.locale.enUS' };

export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const intl = useIntl();
  const { locale, setLocale } = useLocale();
  return (
    <Segmented<Locale>
      data-testid="language-switch"
      aria-label={intl.formatMessage({ id: 'common.locale.switch' })}
      size={size}
      value={locale}
      onChange={setLocale}
      options={LOCALES.map((l) => ({ value: l, label: intl.formatMessage({ id: LABEL_IDS[l] }) }))}
    />
  );
}
