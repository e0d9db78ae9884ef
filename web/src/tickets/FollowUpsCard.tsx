// 回访: the follow-up rounds of a closed request (1, 3 and 6 months) with their satisfaction surveys.
// Staff can issue a fresh survey link for a round and pass it on (SMS, WeChat); customers see
// whether they have rated the service.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Flex, List, Popconfirm, Rate, Space, Tag, Typography } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { describeError } from '../api/errors';
import { followUpApi, type FollowUp } from '../api/followUps';
import type { TicketDetail } from '../api/tickets';
import { formatTime } from './ui';

/** States in which a request has (or may have) follow-up rounds. */
const AFTER_STATES = ['resolved', 'closed', 'archived'];
/** Roles that may send survey links (POST /follow-ups/{id}/send-survey). */
const SENDERS = ['agent', 'service_manager', 'admin'];
const STATE_COLORS: Record<string, string> = { scheduled: 'blue', done: 'green', missed: 'orange', cancelled: 'default' };

export function FollowUpsCard({ ticket, role, portal = false }: { ticket: TicketDetail; role?: string; portal?: boolean }) {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string | number>) => intl.formatMessage({ id }, v);
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<FollowUp[] | null>(null);
  const [sending, setSending] = useState<number | null>(null);
  const [link, setLink] = useState<{ round: number; url: string } | null>(null);
  const shown = AFTER_STATES.includes(ticket.state);

  useEffect(() => {
    if (!shown) return;
    const ac = new AbortController();
    followUpApi
      .forTicket(ticket.id, ac.signal)
      .then((r) => setItems(Array.isArray(r.items) ? r.items : []))
      .catch(() => !ac.signal.aborted && setItems((old) => old ?? []));
    return () => ac.abort();
  }, [ticket.id, ticket.version, shown]);

  if (!shown || items === null) return null;
  const canSend = !portal && !!role && SENDERS.includes(role);

  const send = async (f: FollowUp) => {
    setSending(f.id);
    try {
      const r = await followUpApi.sendSurvey(f.id);
      if (r.survey_url) setLink({ round: f.id, url: new URL(r.survey_url, window.location.origin).href });
      setItems((old) => (old ?? []).map((x) => (x.id === f.id ? { ...x, ...r } : x)));
      message.success(t('ticket.followUp.sent'));
    } catch (e) {
      const d = describeError(e);
      if (d) message.error(intl.formatMessage({ id: d.id }, d.values));
    } finally {
      setSending(null);
    }
  };

  return (
    <Card size="small" title={t('ticket.followUp.title')} style={{ marginTop: 16 }} data-testid="follow-ups">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.followUp.empty')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(f) => (
            <List.Item
              data-testid="follow-up"
              data-state={f.state}
              style={{ display: 'block' }}
            >
              <Flex justify="space-between" align="center" wrap gap={8}>
                <Space wrap size={4}>
                  <Typography.Text strong>{t('ticket.followUp.round', { months: f.offset_months })}</Typography.Text>
                  <Typography.Text type="secondary">{t('ticket.followUp.due', { date: f.due_date })}</Typography.Text>
                  <Tag color={STATE_COLORS[f.state] ?? 'default'}>
                    {intl.messages[`ticket.followUpState.${f.state}`] ? t(`ticket.followUpState.${f.state}`) : f.state}
                  </Tag>
                </Space>
                {canSend && f.state === 'scheduled' && !f.survey && (
                  <Popconfirm
                    title={t('ticket.followUp.sendConfirm')}
                    onConfirm={() => send(f)}
                    okText={t('ticket.action.submit')}
                    cancelText={t('ticket.action.cancelButton')}
                  >
                    <Button size="small" icon={<LinkOutlined />} loading={sending === f.id} data-testid="send-survey">
                      <FormattedMessage id={f.survey_sent_at ? 'ticket.followUp.resend' : 'ticket.followUp.send'} />
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
              {f.survey ? (
                <Flex align="center" gap={8} wrap data-testid="follow-up-survey">
                  <Typography.Text>{t('ticket.followUp.rated')}</Typography.Text>
                  <Rate disabled allowHalf value={Math.round((f.survey.average ?? 0) * 2) / 2} style={{ fontSize: 14 }} />
                  <Typography.Text type="secondary">{(f.survey.average ?? 0).toFixed(1)}</Typography.Text>
                  {f.survey.comment && <Typography.Text type="secondary">“{f.survey.comment}”</Typography.Text>}
                </Flex>
              ) : f.survey_sent_at ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(portal ? 'ticket.followUp.sentToYou' : 'ticket.followUp.sentAt', { at: formatTime(f.survey_sent_at) })}
                </Typography.Text>
              ) : null}
              {link?.round === f.id && (
                <Alert
                  style={{ marginTop: 8 }}
                  type="success"
                  showIcon
                  message={t('ticket.followUp.linkHint')}
                  description={
                    <Typography.Text copyable={{ text: link.url }} data-testid="survey-link" style={{ wordBreak: 'break-all' }}>
                      {link.url}
                    </Typography.Text>
                  }
                />
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
