// 维修记录: the repair work log of a request (what was done, by whom, when, parts drawn from stock,
// materials, problems met) and the form a technician fills in on site.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, List, Modal, Select, Space, Switch, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined, ToolOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../api/client';
import { describeError } from '../api/errors';
import { repairApi, type RepairLog, type RepairLogBody, type StockLevel } from '../api/repairs';
import type { TicketDetail } from '../api/tickets';
import { fieldErrorsFor } from './model';
import { formatTime } from './ui';

/** Repair work is logged while the request is being repaired (or reworked). */
export const REPAIR_STATES = ['in_repair', 'rework'];

/**
 * May the caller log work? The server accepts the assigned technicians and service managers; the
 * actions only they are offered in these states (self-check, plan change) tell us without another call.
 */
export function canLogRepair(ticket: Pick<TicketDetail, 'state' | 'allowed_actions'>): boolean {
  return REPAIR_STATES.includes(ticket.state) && (ticket.allowed_actions ?? []).some((a) => a === 'complete_self_check' || a === 'change_plan');
}

export function RepairLogCard({ ticket, portal = false, onLogged }: { ticket: TicketDetail; portal?: boolean; onLogged?: () => void }) {
  const intl = useIntl();
  const [items, setItems] = useState<RepairLog[] | null>(null);
  const [open, setOpen] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    repairApi
      .list(ticket.id, ac.signal)
      .then((r) => setItems(Array.isArray(r.items) ? r.items : []))
      .catch(() => !ac.signal.aborted && setItems((old) => old ?? []));
    return () => ac.abort();
  }, [ticket.id, ticket.version, tick]);

  const canLog = !portal && canLogRepair(ticket);
  // nothing to say to a customer before any work was shared, nor to staff before repair starts
  if (!canLog && (items === null || items.length === 0)) return null;

  return (
    <Card
      size="small"
      title={intl.formatMessage({ id: 'ticket.repair.title' })}
      style={{ marginTop: 16 }}
      data-testid="repair-logs"
      extra={
        canLog && (
          <Button type="primary" size="small" icon={<ToolOutlined />} onClick={() => setOpen(true)} data-testid="repair-log-add">
            <FormattedMessage id="ticket.repair.add" />
          </Button>
        )
      }
    >
      {items === null ? null : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={intl.formatMessage({ id: 'ticket.repair.empty' })} />
      ) : (
        <List size="small" dataSource={items} renderItem={(log) => <RepairLogItem log={log} portal={portal} />} />
      )}
      {open && (
        <RepairLogModal
          ticket={ticket}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            setTick((x) => x + 1);
            onLogged?.();
          }}
        />
      )}
    </Card>
  );
}

function RepairLogItem({ log, portal }: { log: RepairLog; portal: boolean }) {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string | number>) => intl.formatMessage({ id }, v);
  return (
    <List.Item data-testid="repair-log" style={{ display: 'block' }}>
      <Flex justify="space-between" wrap gap={4}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatTime(log.started_at)}
          {log.ended_at ? ` – ${dayjs(log.ended_at).format('HH:mm')}` : ''}
          {log.staff?.length ? ` · ${log.staff.map((s) => s.name).join('、')}` : ''}
        </Typography.Text>
        {!portal && (
          <Tag color={log.visible_to_customer ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
            {t(log.visible_to_customer ? 'ticket.repair.shared' : 'ticket.repair.internal')}
          </Tag>
        )}
      </Flex>
      <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{log.work_done}</Typography.Paragraph>
      {log.progress_note && (
        <Typography.Paragraph type="secondary" style={{ margin: '0 0 4px', whiteSpace: 'pre-wrap' }}>
          {t('ticket.repair.progress')}: {log.progress_note}
        </Typography.Paragraph>
      )}
      {!portal && log.problems && (
        <Typography.Paragraph type="warning" style={{ margin: '0 0 4px', whiteSpace: 'pre-wrap' }}>
          {t('ticket.repair.problems')}: {log.problems}
        </Typography.Paragraph>
      )}
      {(log.parts?.length > 0 || log.materials?.length > 0) && (
        <Space size={[4, 4]} wrap>
          {log.parts.map((p, i) => (
            <Tag key={`p${i}`} color="blue" data-testid="repair-part">
              {p.part_name}
              {p.spec ? ` ${p.spec}` : ''} ×{p.quantity}
              {p.unit ?? ''}
              {p.warranty_until ? ` · ${t('ticket.repair.partWarranty', { date: p.warranty_until })}` : ''}
            </Tag>
          ))}
          {log.materials.map((m, i) => (
            <Tag key={`m${i}`}>
              {m.name} ×{m.quantity}
              {m.unit ?? ''}
            </Tag>
          ))}
        </Space>
      )}
    </List.Item>
  );
}

interface Values {
  work_done: string;
  started_at: Dayjs;
  ended_at?: Dayjs;
  progress_note?: string;
  problems?: string;
  visible_to_customer: boolean;
  parts?: { stock?: string; quantity?: number }[];
  materials?: { name?: string; quantity?: number; unit?: string }[];
}

/** When the work began, by default: the latest arrival on site, else an hour ago (never before the report). */
export function defaultStart(ticket: Pick<TicketDetail, 'visits' | 'reported_at'>, now = Date.now()): number {
  const reported = Date.parse(ticket.reported_at);
  const arrivals = (ticket.visits ?? []).map((v) => (v.arrived_at ? Date.parse(v.arrived_at) : NaN)).filter((x) => !Number.isNaN(x));
  const start = arrivals.length ? Math.max(...arrivals) : now - 3600_000;
  return Math.min(now, Number.isNaN(reported) ? start : Math.max(start, reported));
}

const stockKey = (s: Pick<StockLevel, 'part_id' | 'location_id'>) => `${s.part_id}:${s.location_id}`;

function RepairLogModal({ ticket, onClose, onDone }: { ticket: TicketDetail; onClose: () => void; onDone: () => void }) {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string | number>) => intl.formatMessage({ id }, v);
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stock, setStock] = useState<StockLevel[] | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    repairApi
      .stock('', ac.signal)
      .then((p) => setStock(p.items.filter((s) => s.quantity > 0)))
      .catch(() => !ac.signal.aborted && setStock([]));
    return () => ac.abort();
  }, []);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const now = dayjs();
    const ended = v.ended_at && v.ended_at.isAfter(now) ? now : v.ended_at;
    const body: RepairLogBody = {
      work_done: v.work_done.trim(),
      started_at: v.started_at.toISOString(),
      ...(ended ? { ended_at: ended.toISOString() } : {}),
      ...(v.progress_note?.trim() ? { progress_note: v.progress_note.trim() } : {}),
      ...(v.problems?.trim() ? { problems: v.problems.trim() } : {}),
      visible_to_customer: v.visible_to_customer,
    };
    const parts = (v.parts ?? []).filter((p) => p.stock && p.quantity);
    if (parts.length)
      body.parts = parts.map((p) => {
        const [part_id, location_id] = p.stock!.split(':').map(Number);
        return { part_id, location_id, quantity: p.quantity!, replaced: true };
      });
    const materials = (v.materials ?? []).filter((m) => m.name?.trim());
    if (materials.length) body.materials = materials.map((m) => ({ name: m.name!.trim(), quantity: m.quantity ?? 1, ...(m.unit ? { unit: m.unit } : {}) }));
    setSaving(true);
    setError(null);
    try {
      await repairApi.create(ticket.id, body);
      message.success(t('ticket.repair.saved'));
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) {
        const mapped = fieldErrorsFor(e.fieldErrors);
        form.setFields(mapped.filter((m) => m.name.length === 1) as never);
        setError(e.message);
      } else if (e instanceof ApiError && e.status === 409) {
        setError(t('ticket.repair.conflict', { detail: e.problem.detail ?? e.message }));
      } else {
        const d = describeError(e);
        setError(d ? intl.formatMessage({ id: d.id }, d.values) : String(e));
      }
    } finally {
      setSaving(false);
    }
  };

  const stockOptions = (stock ?? []).map((s) => ({
    value: stockKey(s),
    label: `${s.part_name}${s.spec ? ` ${s.spec}` : ''} · ${s.location_name} · ${t('ticket.repair.inStock', { count: s.quantity, unit: s.unit ?? '' })}`,
  }));

  return (
    <Modal
      open
      title={t('ticket.repair.add')}
      onCancel={onClose}
      width={640}
      style={{ maxWidth: 'calc(100vw - 16px)', top: 8 }}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          <FormattedMessage id="ticket.action.cancelButton" />
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={submit} data-testid="repair-log-submit">
          <FormattedMessage id="ticket.action.submit" />
        </Button>,
      ]}
    >
      <div data-testid="repair-log-form">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="repair-log-error" />}
        <Form<Values>
          form={form}
          layout="vertical"
          name="repair_log"
          disabled={saving}
          initialValues={{ started_at: dayjs(defaultStart(ticket)), ended_at: dayjs(), visible_to_customer: true }}
        >
          <Form.Item name="work_done" label={t('ticket.repair.workDone')} rules={[{ required: true, whitespace: true, message: t('ticket.action.required') }]}>
            <Input.TextArea rows={3} autoFocus />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="started_at" label={t('ticket.repair.startedAt')} rules={[{ required: true, message: t('ticket.action.required') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} />
            </Form.Item>
            <Form.Item name="ended_at" label={t('ticket.repair.endedAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          </Flex>
          <Typography.Text strong>{t('ticket.repair.parts')}</Typography.Text>
          <Form.List name="parts">
            {(fields, { add, remove }) => (
              <div data-testid="repair-parts">
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="baseline" wrap>
                    <Form.Item name={[f.name, 'stock']} rules={[{ required: true, message: t('ticket.action.required') }]} style={{ flex: 1, minWidth: 200 }}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        options={stockOptions}
                        loading={stock === null}
                        placeholder={t('ticket.repair.pickPart')}
                        notFoundContent={t('ticket.repair.noStock')}
                        data-testid="repair-part-select"
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} initialValue={1} rules={[{ required: true, message: t('ticket.action.required') }]} style={{ width: 90 }}>
                      <InputNumber min={1} precision={0} style={{ width: '100%' }} aria-label={t('ticket.plan.quantity')} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('ticket.action.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} block style={{ marginBottom: 16 }} data-testid="repair-add-part">
                  {stock !== null && stock.length === 0 ? t('ticket.repair.addPartNoStock') : t('ticket.repair.addPart')}
                </Button>
              </div>
            )}
          </Form.List>
          <Typography.Text strong>{t('ticket.repair.materials')}</Typography.Text>
          <Form.List name="materials">
            {(fields, { add, remove }) => (
              <div>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="baseline" wrap>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('ticket.action.required') }]} style={{ flex: 2, minWidth: 120 }}>
                      <Input placeholder={t('ticket.plan.materialName')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} initialValue={1} style={{ width: 80 }}>
                      <InputNumber min={0} style={{ width: '100%' }} aria-label={t('ticket.plan.quantity')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} style={{ width: 70 }}>
                      <Input placeholder={t('ticket.diagnosis.unit')} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('ticket.action.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} block style={{ marginBottom: 16 }} data-testid="repair-add-material">
                  {t('ticket.plan.addMaterial')}
                </Button>
              </div>
            )}
          </Form.List>
          <Form.Item name="progress_note" label={t('ticket.repair.progress')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="problems" label={t('ticket.repair.problemsLabel')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="visible_to_customer" label={t('ticket.repair.shareLabel')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
