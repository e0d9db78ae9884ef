import { useState, type ReactNode } from 'react';
import { App as AntApp, Avatar, Button, Grid, Layout, Menu, Space, Tag, Typography, theme } from 'antd';
import {
  AppstoreOutlined,
  ContactsOutlined,
  DashboardOutlined,
  FileTextOutlined,
  LogoutOutlined,
  ProjectOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  ToolOutlined,
  UserOutlined,
  DeploymentUnitOutlined,
} from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { menuForRole, menuItemForPath, type MenuIcon } from '../nav/menu';
import { roleLabelId } from '../nav/roles';
import { LanguageSwitch } from './LanguageSwitch';

const ICONS: Record<MenuIcon, ReactNode> = {
  dashboard: <DashboardOutlined />,
  tickets: <ToolOutlined />,
  customers: <ContactsOutlined />,
  projects: <ProjectOutlined />,
  staff: <TeamOutlined />,
  settings: <SettingOutlined />,
  myRequests: <FileTextOutlined />,
  myProjects: <AppstoreOutlined />,
  jobs: <ScheduleOutlined />,
  dispatch: <DeploymentUnitOutlined />,
};

export function AppShell({ children }: { children: ReactNode }) {
  const intl = useIntl();
  const { user, logout } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  // phones (technicians on site): the menu folds away entirely and the header is compact
  const phone = !screens.md;
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);

  if (!user) return null;
  const items = menuForRole(user.role);
  const selected = menuItemForPath(location.pathname)?.key;
  const roleId = roleLabelId(user.role);

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } catch {
      message.warning(intl.formatMessage({ id: 'shell.header.logoutFailed' }));
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        collapsedWidth={phone ? 0 : 80}
        theme="dark"
        zeroWidthTriggerStyle={{ top: 12 }}
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: collapsed ? '0 24px' : '0 16px',
            color: '#fff',
            fontWeight: 600,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {!collapsed && <FormattedMessage id="common.app.shortName" />}
        </div>
        <Menu
          data-testid="side-menu"
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items.map((item) => ({
            key: item.key,
            icon: ICONS[item.icon],
            label: intl.formatMessage({ id: item.labelId }),
            onClick: () => navigate(item.path),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: phone ? '0 8px 0 48px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Text strong style={{ fontSize: 16 }} ellipsis>
            <FormattedMessage id={phone ? 'common.app.shortName' : 'common.app.name'} />
          </Typography.Text>
          <Space size={phone ? 4 : 'middle'}>
            <LanguageSwitch size="small" />
            <Space size={8} data-testid="current-user">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
              {!phone && <Typography.Text>{user.display_name || user.username}</Typography.Text>}
              <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                {roleId ? intl.formatMessage({ id: roleId }) : user.role}
              </Tag>
            </Space>
            <Button
              icon={<LogoutOutlined />}
              onClick={onLogout}
              loading={loggingOut}
              data-testid="logout"
              aria-label={intl.formatMessage({ id: 'shell.header.logout' })}
            >
              {!phone && <FormattedMessage id="shell.header.logout" />}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: phone ? 8 : 16 }}>
          <div
            style={{
              background: token.colorBgContainer,
              borderRadius: token.borderRadiusLG,
              padding: phone ? 12 : 24,
              minHeight: 'calc(100vh - 56px - 64px - 32px)',
            }}
          >
            {children}
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
