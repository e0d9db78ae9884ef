// Saved views of the request list: pick one from the dropdown, save the current filters and sort under
// a name, rename / delete / choose the default in "manage", copy a link that opens the same view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App as AntApp, Button, Checkbox, Dropdown, Empty, Flex, Input, List, Modal, Popconfirm, Select, Space, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EllipsisOutlined, LinkOutlined, SaveOutlined, SettingOutlined, StarFilled, StarOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import {
  addView, initialQuery, loadViews, matchingView, MAX_VIEW_NAME, removeView, renameView, saveViews, setDefaultView, viewQuery,
  type ViewError, type ViewStore,
} from './savedViews';

const storage = () => (typeof window === 'undefined' ? undefined : window.localStorage);

/** One user's views, persisted on every change. */
function useViewStore(userId: string | number) {
  const [store, setStore] = useState<ViewStore>(() => loadViews(storage(), userId));
  useEffect(() => setStore(loadViews(storage(), userId)), [userId]);
  const update = useCallback(
    (next: ViewStore) => {
      setStore(next);
      return saveViews(storage(), userId, next);
    },
    [userId],
  );
  return [store, update] as const;
}

export function SavedViewsBar({ userId, filterKeys }: { userId: string | number; filterKeys: readonly string[] }) {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string | number>) => intl.formatMessage({ id }, v);
  const { message } = AntApp.useApp();
  const [search, setSearch] = useSearchParams();
  const [store, update] = useViewStore(userId);
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const current = viewQuery(search, filterKeys);
  const active = matchingView(store, current);

  // the default view, when the list is opened bare (menu, bookmark of /tickets)
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    const q = initialQuery(store, search.toString());
    if (q) setSearch(new URLSearchParams(q), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const persist = (next: ViewStore) => {
    if (!update(next)) message.warning(t('ticket.views.notStored'));
  };

  const copyLink = async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      message.success(t('ticket.views.linkCopied'));
    } catch {
      Modal.info({ title: t('ticket.views.copyLink'), content: <Typography.Text copyable>{url}</Typography.Text> });
    }
  };

  const options = store.views.map((v) => ({
    value: v.id,
    label: (
      <span data-testid="saved-view-option">
        {v.name}
        {v.id === store.defaultId && <StarFilled style={{ color: '#faad14', marginInlineStart: 6 }} aria-label={t('ticket.views.default')} />}
      </span>
    ),
    title: v.name,
  }));

  return (
    <Space.Compact>
      <Select
        data-testid="saved-views"
        style={{ width: 170 }}
        placeholder={t('ticket.views.placeholder')}
        value={active?.id}
        options={options}
        notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.views.none')} />}
        onChange={(id: string) => {
          const v = store.views.find((x) => x.id === id);
          if (v) setSearch(new URLSearchParams(v.query));
        }}
      />
      <Tooltip title={t('ticket.views.save')}>
        <Button icon={<SaveOutlined />} onClick={() => setSaving(true)} data-testid="save-view" aria-label={t('ticket.views.save')} />
      </Tooltip>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'manage', icon: <SettingOutlined />, label: <span data-testid="manage-views">{t('ticket.views.manage')}</span>, disabled: store.views.length === 0 },
            { key: 'link', icon: <LinkOutlined />, label: <span data-testid="copy-view-link">{t('ticket.views.copyLink')}</span> },
          ],
          onClick: ({ key }) => (key === 'manage' ? setManaging(true) : void copyLink()),
        }}
      >
        <Button icon={<EllipsisOutlined />} data-testid="views-menu" aria-label={t('ticket.views.more')} />
      </Dropdown>
      {saving && (
        <SaveViewModal
          store={store}
          initialName={active?.name ?? ''}
          onCancel={() => setSaving(false)}
          onSave={(name, makeDefault) => {
            // the URL as it is now: router updates are transitions and may not have rendered yet
            const r = addView(store, name, viewQuery(new URLSearchParams(window.location.search), filterKeys), { makeDefault, overwrite: true });
            if (!r.ok) return r.error;
            persist(r.store);
            setSaving(false);
            message.success(t('ticket.views.saved', { name: r.view!.name }));
            return null;
          }}
        />
      )}
      {managing && <ManageViewsModal store={store} onChange={persist} onClose={() => setManaging(false)} />}
    </Space.Compact>
  );
}

const VIEW_ERROR_IDS: Record<ViewError, string> = {
  empty: 'ticket.views.errorEmpty',
  tooLong: 'ticket.views.errorTooLong',
  duplicate: 'ticket.views.errorDuplicate',
  tooMany: 'ticket.views.errorTooMany',
  notFound: 'ticket.views.errorNotFound',
};

function useViewErrorText() {
  const intl = useIntl();
  return (e: ViewError) => intl.formatMessage({ id: VIEW_ERROR_IDS[e] }, { max: MAX_VIEW_NAME });
}

function SaveViewModal({
  store,
  initialName,
  onCancel,
  onSave,
}: {
  store: ViewStore;
  initialName: string;
  onCancel: () => void;
  onSave: (name: string, makeDefault: boolean) => ViewError | null;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const errorText = useViewErrorText();
  const [name, setName] = useState(initialName);
  const [makeDefault, setMakeDefault] = useState(false);
  const [error, setError] = useState<ViewError | null>(null);
  const exists = useMemo(() => store.views.some((v) => v.name.toLowerCase() === name.trim().toLowerCase()), [store, name]);
  const submit = () => setError(onSave(name, makeDefault));
  return (
    <Modal
      open
      title={t('ticket.views.save')}
      onCancel={onCancel}
      onOk={submit}
      okText={t('ticket.action.submit')}
      cancelText={t('ticket.action.cancelButton')}
      okButtonProps={{ 'data-testid': 'save-view-ok' } as never}
      destroyOnHidden
    >
      <Flex vertical gap={8} data-testid="save-view-form">
        <Typography.Text>{t('ticket.views.name')}</Typography.Text>
        <Input
          autoFocus
          value={name}
          maxLength={MAX_VIEW_NAME}
          status={error ? 'error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          onPressEnter={submit}
          data-testid="view-name"
        />
        {error ? (
          <Typography.Text type="danger">{errorText(error)}</Typography.Text>
        ) : exists ? (
          <Typography.Text type="warning">{t('ticket.views.overwrite')}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('ticket.views.saveHint')}</Typography.Text>
        )}
        <Checkbox checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} data-testid="view-default">
          <FormattedMessage id="ticket.views.makeDefault" />
        </Checkbox>
      </Flex>
    </Modal>
  );
}

function ManageViewsModal({ store, onChange, onClose }: { store: ViewStore; onChange: (s: ViewStore) => void; onClose: () => void }) {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string>) => intl.formatMessage({ id }, v);
  const errorText = useViewErrorText();
  const [errors, setErrors] = useState<Record<string, ViewError>>({});
  const rename = (id: string, name: string) => {
    const current = store.views.find((v) => v.id === id);
    if (!current || current.name === name.trim()) return;
    const r = renameView(store, id, name);
    if (r.ok) {
      onChange(r.store);
      setErrors(({ [id]: _drop, ...rest }) => rest);
    } else setErrors((e) => ({ ...e, [id]: r.error }));
  };
  return (
    <Modal open title={t('ticket.views.manage')} onCancel={onClose} footer={<Button onClick={onClose} data-testid="manage-views-done">{t('ticket.views.close')}</Button>} destroyOnHidden>
      <List
        data-testid="manage-views-list"
        dataSource={store.views}
        locale={{ emptyText: t('ticket.views.none') }}
        renderItem={(v) => {
          const isDefault = v.id === store.defaultId;
          return (
            <List.Item
              data-testid="managed-view"
              actions={[
                <Tooltip key="default" title={t(isDefault ? 'ticket.views.unsetDefault' : 'ticket.views.setDefault')}>
                  <Button
                    type="text"
                    icon={isDefault ? <StarFilled style={{ color: '#faad14' }} /> : <StarOutlined />}
                    onClick={() => onChange(setDefaultView(store, isDefault ? null : v.id))}
                    data-testid="view-toggle-default"
                    aria-pressed={isDefault}
                    aria-label={t(isDefault ? 'ticket.views.unsetDefault' : 'ticket.views.setDefault')}
                  />
                </Tooltip>,
                <Popconfirm
                  key="delete"
                  title={t('ticket.views.deleteConfirm', { name: v.name })}
                  onConfirm={() => onChange(removeView(store, v.id))}
                  okText={t('ticket.action.submit')}
                  cancelText={t('ticket.action.cancelButton')}
                >
                  <Button type="text" danger icon={<DeleteOutlined />} data-testid="view-delete" aria-label={t('ticket.views.delete')} />
                </Popconfirm>,
              ]}
            >
              <Flex vertical style={{ width: '100%' }}>
                <Input
                  defaultValue={v.name}
                  maxLength={MAX_VIEW_NAME}
                  status={errors[v.id] ? 'error' : undefined}
                  onBlur={(e) => rename(v.id, e.target.value)}
                  onPressEnter={(e) => rename(v.id, (e.target as HTMLInputElement).value)}
                  aria-label={t('ticket.views.name')}
                  data-testid="view-rename"
                />
                {errors[v.id] && <Typography.Text type="danger">{errorText(errors[v.id])}</Typography.Text>}
              </Flex>
            </List.Item>
          );
        }}
      />
    </Modal>
  );
}
