import { useState } from 'react';
import { Alert, Button, Form, Input, theme } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, NetworkError } from '../api/client';
import { useAuth } from '../auth/AuthProvider';
import { postLoginPath } from '../nav/menu';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { FullPageSpin } from '../layout/FullPageSpin';

interface LoginForm {
  username: string;
  password: string;
}

type Banner = { type: 'error' | 'warning' | 'info' | 'success'; text: string } | null;

export default function LoginPage() {
  const intl = useIntl();
  const { status, user, notice, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<LoginForm>();
  const { token } = theme.useToken();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Banner>(null);
  const next = params.get('next');

  if (status === 'loading') return <FullPageSpin />;
  if (status === 'authenticated' && user && !submitting) return <Navigate to={postLoginPath(user.role, next)} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const u = await login(values.username.trim(), values.password);
      navigate(postLoginPath(u.role, next), { replace: true });
    } catch (e) {
      setSubmitting(false);
      if (e instanceof ApiError) {
        if (e.status === 401) {
          setError({ type: 'error', text: intl.formatMessage({ id: 'auth.login.badCredentials' }) });
          form.setFieldValue('password', '');
          return;
        }
        if (e.status === 429) {
          setError({
            type: 'warning',
            text:
              e.retryAfter !== undefined
                ? intl.formatMessage({ id: 'auth.login.throttledRetry' }, { seconds: e.retryAfter })
                : intl.formatMessage({ id: 'auth.login.throttled' }),
          });
          return;
        }
        const fields = e.fieldErrors.filter((f) => f.field === 'username' || f.field === 'password');
        if (fields.length > 0) {
          form.setFields(
            fields.map((f) => ({ name: f.field as keyof LoginForm, errors: [f.message || f.rule || e.message] })),
          );
          return;
        }
        if (e.status >= 500) {
          setError({ type: 'error', text: intl.formatMessage({ id: 'common.error.server' }, { status: e.status }) });
          return;
        }
        setError({ type: 'error', text: intl.formatMessage({ id: 'auth.login.failed' }, { detail: e.message }) });
        return;
      }
      if (e instanceof NetworkError) {
        setError({ type: 'error', text: intl.formatMessage({ id: 'common.error.network' }) });
        return;
      }
      setError({ type: 'error', text: intl.formatMessage({ id: 'auth.login.failed' }, { detail: String(e) }) });
    }
  };

  const banner: Banner =
    error ??
    (notice === 'expired'
      ? { type: 'warning', text: intl.formatMessage({ id: 'auth.login.sessionExpired' }) }
      : notice === 'loggedOut'
        ? { type: 'success', text: intl.formatMessage({ id: 'auth.login.loggedOut' }) }
        : null);

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: 'linear-gradient(135deg, #e8f1ff 0%, #f5f7fa 55%, #eef6f0 100%)',
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: 16 }}>
        <LanguageSwitch size="small" />
      </div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
        <div style={{ width: '100%', maxWidth: 400 }}>
          <div style={{ textAlign: 'center', marginBottom: 24 }}>
            <img src="/favicon.svg" alt="" width={48} height={48} />
            <h1
              data-testid="product-name"
              style={{ margin: '12px 0 4px', fontSize: 28, fontWeight: 600, color: token.colorTextHeading }}
            >
              <FormattedMessage id="common.app.name" />
            </h1>
            <div style={{ color: token.colorTextSecondary }}>
              <FormattedMessage id="common.app.tagline" />
            </div>
          </div>
          {/* a plain panel rather than antd Card: Card pulls in Tabs and Menu, too heavy for the first page */}
          <section
            aria-labelledby="login-title"
            style={{
              background: token.colorBgContainer,
              borderRadius: token.borderRadiusLG,
              boxShadow: '0 4px 24px rgba(0,0,0,.06)',
              padding: '20px 24px 24px',
            }}
          >
            <h2 id="login-title" style={{ margin: '0 0 16px', fontSize: 16, fontWeight: 600, color: token.colorTextHeading }}>
              <FormattedMessage id="auth.login.title" />
            </h2>
            {banner && (
              <div data-testid={error ? 'login-error' : 'login-notice'} role="alert" style={{ marginBottom: 16 }}>
                <Alert type={banner.type} message={banner.text} showIcon />
              </div>
            )}
            <Form<LoginForm>
              form={form}
              name="login"
              layout="vertical"
              requiredMark={false}
              onFinish={onFinish}
              onValuesChange={() => error && setError(null)}
              disabled={submitting}
            >
              <Form.Item
                name="username"
                label={intl.formatMessage({ id: 'auth.login.username' })}
                rules={[{ required: true, whitespace: true, message: intl.formatMessage({ id: 'auth.login.usernameRequired' }) }]}
              >
                <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
              </Form.Item>
              <Form.Item
                name="password"
                label={intl.formatMessage({ id: 'auth.login.password' })}
                rules={[{ required: true, message: intl.formatMessage({ id: 'auth.login.passwordRequired' }) }]}
              >
                <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
              </Form.Item>
              <Form.Item style={{ marginBottom: 0 }}>
                <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-submit">
                  <FormattedMessage id="auth.login.submit" />
                </Button>
              </Form.Item>
            </Form>
          </section>
          <div style={{ textAlign: 'center', marginTop: 24, color: token.colorTextQuaternary, fontSize: 12 }}>
            <FormattedMessage id="auth.login.footer" />
          </div>
        </div>
      </div>
    </div>
  );
}
