import { Button, Result } from 'antd';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';

function HomeButton() {
  return (
    <Link to="/">
      <Button type="primary">
        <FormattedMessage id="shell.comingSoon.home" />
      </Button>
    </Link>
  );
}

/** Placeholder for menu entries whose pages come in later issues. */
export function ComingSoon({ labelId }: { labelId: string }) {
  const intl = useIntl();
  return (
    <Result
      data-testid="coming-soon"
      status="info"
      title={intl.formatMessage({ id: 'shell.comingSoon.title' })}
      subTitle={intl.formatMessage({ id: 'shell.comingSoon.subtitle' }, { page: intl.formatMessage({ id: labelId }) })}
      extra={<HomeButton />}
    />
  );
}

export function Forbidden() {
  const intl = useIntl();
  return (
    <Result
      status="403"
      title={intl.formatMessage({ id: 'shell.forbidden.title' })}
      subTitle={intl.formatMessage({ id: 'shell.forbidden.subtitle' })}
      extra={<HomeButton />}
    />
  );
}

export function NotFound() {
  const intl = useIntl();
  return (
    <Result
      status="404"
      title={intl.formatMessage({ id: 'shell.notFound.title' })}
      subTitle={intl.formatMessage({ id: 'shell.notFound.subtitle' })}
      extra={<HomeButton />}
    />
  );
}
