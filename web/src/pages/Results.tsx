import { Button, Result, theme } from 'antd';
import { RocketOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { homePathForRole } from '../nav/menu';

/** A way back to the role's home page — unless we are on it already. */
function HomeButton() {
  const { user } = useAuth();
  const { pathname } = useLocation();
  if (user && homePathForRole(user.role) === pathname) return null;
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
  const { token } = theme.useToken();
  return (
    <Result
      data-testid="coming-soon"
      icon={<RocketOutlined style={{ color: token.colorPrimary }} />}
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
