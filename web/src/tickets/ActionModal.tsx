// One small form per lifecycle action; posts POST /tickets/{id}/actions/{action}.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Checkbox, DatePicker, Divider, Flex, Form, Input, InputNumber, List, Modal, Select, Space, Spin, Switch, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { AimOutlined, CameraOutlined, MinusCircleOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../api/client';
import { describeError } from '../api/errors';
import { ticketApi, uploadAttachment, type DispatchSuggestions, type TicketDetail } from '../api/tickets';
import { useAuth } from '../auth/AuthProvider';
import { useLocale } from '../i18n/I18nProvider';
import { CAUSES, CONTACT_METHODS, COST_BEARINGS, fieldErrorsFor, GRADES, NATURES, PAUSE_REASONS, SEVERITIES } from './model';
import { SignaturePadField, type SignatureHandle } from './SignaturePadField';
import { useEnumLabel } from './ui';

/** Actions whose only data is a required reason. */
const REASON_ACTIONS = ['reject_plan', 'customer_reject_plan', 'internal_reject', 'customer_reject', 'change_plan', 'reopen', 'cancel'];
/** Actions with an optional comment. */
const COMMENT_ACTIONS = ['review_plan', 'approve_plan', 'chief_approve_plan'];
/** Actions with an optional note. */
const NOTE_ACTIONS = ['acknowledge', 'depart', 'leave_site', 'start_repair', 'internal_accept', 'archive', 'resume'];
/** Upload purpose of photos taken with an action. */
const PHOTO_PURPOSE: Record<string, string> = {
  record_diagnosis: 'diagnosis',
  submit_plan: 'plan',
  complete_self_check: 'self_check',
  internal_accept: 'acceptance',
  internal_reject: 'acceptance',
  customer_accept: 'acceptance',
  customer_reject: 'acceptance',
  remote_fix: 'repair',
};
const SIGNED = ['confirm_plan', 'customer_accept'];
/** Who must draw a signature (the customer himself, or on site on the technician's phone); an agent
 * confirming for a customer on the telephone cannot. */
const MUST_SIGN_ROLES = ['customer', 'technician', 'tech_lead'];
const DEFAULT_CHECKLIST = ['ticket.selfCheck.itemFixed', 'ticket.selfCheck.itemClean', 'ticket.selfCheck.itemSafe'];

type Values = Record<string, unknown>;

export function ActionModal({
  ticket,
  action,
  onClose,
  onDone,
  compact = false,
}: {
  ticket: TicketDetail;
  action: string | null;
  onClose: () => void;
  onDone: (t: TicketDetail) => void;
  compact?: boolean;
}) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const label = useEnumLabel();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<UploadFile<{ id: number }>[]>([]);
  const sigRef = useRef<SignatureHandle>(null);
  const { user } = useAuth();
  const mustSign = !!action && SIGNED.includes(action) && MUST_SIGN_ROLES.includes(user?.role ?? '');

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    setFormError(null);
    setPhotos([]);
    if (action === 'triage' || action === 'regrade') {
      form.setFieldsValue({ grade: ticket.grade ?? ticket.suggestion?.grade ?? undefined, nature: ticket.nature ?? ticket.suggestion?.nature ?? undefined });
    }
    if (action === 'complete_self_check') {
      form.setFieldsValue({ checklist: DEFAULT_CHECKLIST.map((id) => ({ item: intl.formatMessage({ id }), passed: true })) });
    }
    if (action === 'contact_customer') form.setFieldsValue({ method: 'phone' });
    if (SIGNED.includes(action)) form.setFieldsValue({ signer_name: ticket.contact_name ?? '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [action, ticket.id]);

  if (!action) return null;

  const submit = async (extra: Values = {}) => {
    let values: Values;
    try {
      values = { ...(await form.validateFields()), ...extra };
    } catch (err) {
      // antd rejects a validation that a field change overtook (the form is still being filled
      // as the dialog opens) with no field errors at all: validate again rather than ignore the click.
      if ((err as { errorFields?: unknown[] })?.errorFields?.length) return;
      try {
        values = { ...(await form.validateFields()), ...extra };
      } catch {
        return;
      }
    }
    if (mustSign && (sigRef.current?.isEmpty() ?? true)) {
      setFormError(t('ticket.sign.required'));
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      const data = toPayload(action, values);
      const ids = photos.filter((p) => p.status === 'done' && p.response?.id).map((p) => p.response!.id);
      if (ids.length && PHOTO_PURPOSE[action]) data.attachment_ids = ids;
      if (SIGNED.includes(action)) {
        const blob = await sigRef.current?.toBlob();
        if (blob) {
          const a = await uploadAttachment(blob, { purpose: 'signature', ticketId: ticket.id, filename: `signature-${ticket.number}.png` });
          data.signature_attachment_id = a.id;
        }
      }
      const updated = await ticketApi.action(ticket.id, action, { ...data, version: ticket.version });
      message.success(t('ticket.action.done', { action: label('action', action) }));
      onDone(updated);
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) {
        const names = new Set(fieldNames(action));
        const mapped = fieldErrorsFor(e.fieldErrors);
        const known = mapped.filter((m) => names.has(String(m.name[0])));
        form.setFields(known as never);
        const rest = mapped.filter((m) => !names.has(String(m.name[0])));
        setFormError(rest.length ? rest.map((m) => `${m.name.join('.')}: ${m.errors.join(', ')}`).join('; ') : known.length ? null : e.message);
      } else if (e instanceof ApiError && e.status === 409) {
        setFormError(t('ticket.action.conflict', { detail: e.problem.detail ?? e.message }));
      } else {
        const d = describeError(e);
        if (d) setFormError(intl.formatMessage({ id: d.id }, d.values));
      }
    } finally {
      setSaving(false);
    }
  };

  const photoField = PHOTO_PURPOSE[action] ? (
    <Form.Item label={t('ticket.action.photos')}>
      <Upload
        accept="image/*"
        capture="environment"
        listType="picture-card"
        multiple
        fileList={photos}
        onChange={({ fileList }) => setPhotos(fileList as never)}
        customRequest={({ file, onSuccess, onError }) => {
          uploadAttachment(file as File, { purpose: PHOTO_PURPOSE[action], ticketId: ticket.id })
            .then((a) => onSuccess?.(a))
            .catch((err: Error) => {
              message.error(err.message);
              onError?.(err);
            });
        }}
      >
        <div data-testid="photo-upload">
          <CameraOutlined />
          <div style={{ marginTop: 4 }}>
            <FormattedMessage id="ticket.action.takePhoto" />
          </div>
        </div>
      </Upload>
    </Form.Item>
  ) : null;

  return (
    <Modal
      open
      title={label('action', action)}
      onCancel={onClose}
      width={compact ? '100%' : ['record_diagnosis', 'submit_plan', 'dispatch', 'reassign'].includes(action) ? 760 : 520}
      style={compact ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          <FormattedMessage id="ticket.action.cancelButton" />
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => submit()} data-testid="action-submit">
          <FormattedMessage id="ticket.action.submit" />
        </Button>,
      ]}
    >
      <div data-testid={`action-form-${action}`}>
        {formError && <Alert type="error" showIcon message={formError} style={{ marginBottom: 12 }} data-testid="action-error" />}
        <Form form={form} layout="vertical" name={`action_${action}`} disabled={saving}>
          <ActionFields action={action} ticket={ticket} onAuto={() => submit({ auto: true })} saving={saving} />
          {SIGNED.includes(action) && (
            <Form.Item label={t('ticket.sign.label')} required={mustSign}>
              <SignaturePadField ref={sigRef} />
            </Form.Item>
          )}
          {photoField}
        </Form>
      </div>
    </Modal>
  );
}

/** Top-level field names of an action's form (API errors on other fields go to the alert). */
function fieldNames(action: string): string[] {
  if (REASON_ACTIONS.includes(action)) return ['reason'];
  if (COMMENT_ACTIONS.includes(action)) return ['comment'];
  if (NOTE_ACTIONS.includes(action)) return ['note'];
  switch (action) {
    case 'triage':
    case 'regrade':
      return ['grade', 'nature', 'note', 'reason'];
    case 'contact_customer':
      return ['method', 'note'];
    case 'answer_consultation':
      return ['answer'];
    case 'remote_fix':
      return ['note'];
    case 'dispatch':
    case 'reassign':
      return ['staff_ids', 'lead_staff_id', 'note', 'reason'];
    case 'arrive':
      return ['latitude', 'longitude', 'note'];
    case 'record_diagnosis':
      return ['findings', 'cause', 'severity', 'major_defect', 'nature', 'recommendation', 'customer_representative', 'customer_opinion', 'contractor_opinion', 'measurements'];
    case 'submit_plan':
      return ['goal', 'scope', 'process', 'steps', 'quality_standard', 'safety_measures', 'schedule_start', 'schedule_end', 'resources', 'cost_amount', 'cost_bearing', 'cost_override_reason', 'materials'];
    case 'confirm_plan':
    case 'customer_accept':
      return ['signer_name', 'comment', 'signature_attachment_id'];
    case 'complete_self_check':
      return ['checklist', 'note'];
    case 'close':
      return ['summary'];
    case 'pause':
      return ['pause_reason', 'reason'];
    default:
      return [];
  }
}

/** Form values → the action's JSON data (empty strings dropped, dates as YYYY-MM-DD, steps one per line). */
export function toPayload(action: string, v: Values): Values {
  const out: Values = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined || val === null || val === '') continue;
    if (typeof val === 'string') out[k] = val.trim();
    else if (val && typeof val === 'object' && 'format' in (val as object) && typeof (val as Dayjs).format === 'function') out[k] = (val as Dayjs).format('YYYY-MM-DD');
    else out[k] = val;
  }
  if (action === 'submit_plan' && typeof out.steps === 'string') {
    out.steps = (out.steps as string).split('\n').map((s) => s.trim()).filter(Boolean);
  }
  if (Array.isArray(out.measurements)) out.measurements = (out.measurements as Values[]).filter((m) => m && (m.instrument || m.value !== undefined));
  if (Array.isArray(out.materials)) out.materials = (out.materials as Values[]).filter((m) => m && m.name);
  if (Array.isArray(out.checklist)) out.checklist = (out.checklist as Values[]).filter((m) => m && m.item).map((m) => ({ item: m.item, passed: !!m.passed }));
  return out;
}

function ActionFields({ action, ticket, onAuto, saving }: { action: string; ticket: TicketDetail; onAuto: () => void; saving: boolean }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const label = useEnumLabel();
  const required = (id = 'ticket.action.required') => [{ required: true, whitespace: true, message: t(id) }];
  const note = (
    <Form.Item name="note" label={t('ticket.action.note')}>
      <Input.TextArea rows={2} />
    </Form.Item>
  );
  const reasonRequired = (
    <Form.Item name="reason" label={t('ticket.action.reason')} rules={required()}>
      <Input.TextArea rows={3} autoFocus />
    </Form.Item>
  );

  if (REASON_ACTIONS.includes(action)) return reasonRequired;
  if (COMMENT_ACTIONS.includes(action))
    return (
      <Form.Item name="comment" label={t('ticket.action.comment')}>
        <Input.TextArea rows={3} />
      </Form.Item>
    );
  if (NOTE_ACTIONS.includes(action)) return note;

  switch (action) {
    case 'triage':
    case 'regrade':
      return (
        <>
          {ticket.suggestion?.grade && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={`${t('ticket.intake.suggestion')}: ${label('grade', ticket.suggestion.grade)} · ${label('nature', ticket.suggestion.nature)}`}
              description={ticket.suggestion.reasons?.join('；')}
            />
          )}
          <Form.Item name="grade" label={t('ticket.intake.grade')} rules={[{ required: true, message: t('ticket.action.required') }]}>
            <Select options={GRADES.map((g) => ({ value: g, label: label('grade', g) }))} />
          </Form.Item>
          <Form.Item name="nature" label={t('ticket.intake.nature')} rules={action === 'triage' ? [{ required: true, message: t('ticket.action.required') }] : []}>
            <Select allowClear options={NATURES.map((g) => ({ value: g, label: label('nature', g) }))} />
          </Form.Item>
          {action === 'regrade' ? reasonRequired : note}
        </>
      );
    case 'contact_customer':
      return (
        <>
          <Form.Item name="method" label={t('ticket.action.method')}>
            <Select options={CONTACT_METHODS.map((m) => ({ value: m, label: label('contactMethod', m) }))} />
          </Form.Item>
          {note}
        </>
      );
    case 'answer_consultation':
      return (
        <Form.Item name="answer" label={t('ticket.action.answer')} rules={required()}>
          <Input.TextArea rows={5} />
        </Form.Item>
      );
    case 'remote_fix':
      return (
        <Form.Item name="note" label={t('ticket.action.remoteNote')} rules={required()}>
          <Input.TextArea rows={4} />
        </Form.Item>
      );
    case 'dispatch':
    case 'reassign':
      return <DispatchFields ticket={ticket} onAuto={onAuto} saving={saving} reassign={action === 'reassign'} />;
    case 'arrive':
      return <ArriveFields />;
    case 'record_diagnosis':
      return (
        <>
          <Form.Item name="findings" label={t('ticket.diagnosis.findings')} rules={required()}>
            <Input.TextArea rows={3} autoFocus />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="cause" label={t('ticket.diagnosis.cause')} rules={[{ required: true, message: t('ticket.action.required') }]} style={{ flex: 1, minWidth: 180 }}>
              <Select options={CAUSES.map((c) => ({ value: c, label: label('cause', c) }))} />
            </Form.Item>
            <Form.Item name="severity" label={t('ticket.diagnosis.severity')} rules={[{ required: true, message: t('ticket.action.required') }]} style={{ flex: 1, minWidth: 140 }}>
              <Select options={SEVERITIES.map((c) => ({ value: c, label: label('severity', c) }))} />
            </Form.Item>
            <Form.Item name="nature" label={t('ticket.intake.nature')} style={{ flex: 1, minWidth: 140 }}>
              <Select allowClear options={NATURES.map((g) => ({ value: g, label: label('nature', g) }))} />
            </Form.Item>
            <Form.Item name="major_defect" label={t('ticket.diagnosis.majorDefect')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Flex>
          <Typography.Text strong>{t('ticket.diagnosis.measurements')}</Typography.Text>
          <Form.List name="measurements">
            {(fields, { add, remove }) => (
              <div data-testid="measurements">
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="baseline" wrap>
                    <Form.Item name={[f.name, 'instrument']} rules={required()} style={{ flex: 2, minWidth: 120 }}>
                      <Input placeholder={t('ticket.diagnosis.instrument')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'value']} rules={[{ required: true, message: t('ticket.action.required') }]} style={{ flex: 1, minWidth: 90 }}>
                      <InputNumber placeholder={t('ticket.diagnosis.value')} style={{ width: '100%' }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} rules={required()} style={{ width: 80 }}>
                      <Input placeholder={t('ticket.diagnosis.unit')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'location']} style={{ flex: 1, minWidth: 100 }}>
                      <Input placeholder={t('ticket.diagnosis.location')} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('ticket.action.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} block style={{ marginBottom: 16 }} data-testid="add-measurement">
                  {t('ticket.diagnosis.addMeasurement')}
                </Button>
              </div>
            )}
          </Form.List>
          <Form.Item name="recommendation" label={t('ticket.diagnosis.recommendation')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="customer_representative" label={t('ticket.diagnosis.customerRep')} style={{ flex: 1, minWidth: 160 }}>
              <Input />
            </Form.Item>
            <Form.Item name="customer_opinion" label={t('ticket.diagnosis.customerOpinion')} style={{ flex: 2, minWidth: 200 }}>
              <Input />
            </Form.Item>
          </Flex>
        </>
      );
    case 'submit_plan':
      return (
        <>
          <Form.Item name="goal" label={t('ticket.plan.goal')} rules={required()}>
            <Input.TextArea rows={2} autoFocus />
          </Form.Item>
          <Form.Item name="scope" label={t('ticket.plan.scope')} rules={required()}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="process" label={t('ticket.plan.process')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="steps" label={t('ticket.plan.steps')} extra={t('ticket.plan.stepsHint')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="quality_standard" label={t('ticket.plan.quality')} style={{ flex: 1, minWidth: 200 }}>
              <Input />
            </Form.Item>
            <Form.Item name="safety_measures" label={t('ticket.plan.safety')} style={{ flex: 1, minWidth: 200 }}>
              <Input />
            </Form.Item>
          </Flex>
          <Flex gap={12} wrap>
            <Form.Item name="schedule_start" label={t('ticket.plan.start')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="schedule_end" label={t('ticket.plan.end')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="cost_amount" label={t('ticket.plan.cost')}>
              <InputNumber min={0} addonAfter="¥" />
            </Form.Item>
            <Form.Item name="cost_bearing" label={t('ticket.plan.bearing')} extra={ticket.cost ? `${t('ticket.plan.defaultBearing')}: ${label('bearing', ticket.cost.bearing)}` : undefined}>
              <Select allowClear style={{ width: 160 }} options={COST_BEARINGS.map((c) => ({ value: c, label: label('bearing', c) }))} />
            </Form.Item>
          </Flex>
          <Form.Item name="cost_override_reason" label={t('ticket.plan.overrideReason')}>
            <Input />
          </Form.Item>
          <Form.Item name="resources" label={t('ticket.plan.resources')}>
            <Input />
          </Form.Item>
          <Typography.Text strong>{t('ticket.plan.materials')}</Typography.Text>
          <Form.List name="materials">
            {(fields, { add, remove }) => (
              <div>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="baseline" wrap>
                    <Form.Item name={[f.name, 'name']} rules={required()} style={{ flex: 2, minWidth: 120 }}>
                      <Input placeholder={t('ticket.plan.materialName')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'spec']} style={{ flex: 1, minWidth: 100 }}>
                      <Input placeholder={t('ticket.plan.materialSpec')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} style={{ width: 90 }}>
                      <InputNumber min={0} placeholder={t('ticket.plan.quantity')} style={{ width: '100%' }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} style={{ width: 70 }}>
                      <Input placeholder={t('ticket.diagnosis.unit')} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('ticket.action.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} block style={{ marginBottom: 16 }}>
                  {t('ticket.plan.addMaterial')}
                </Button>
              </div>
            )}
          </Form.List>
        </>
      );
    case 'confirm_plan':
    case 'customer_accept':
      return (
        <>
          {action === 'confirm_plan' && <PlanSummary ticket={ticket} />}
          <Form.Item name="signer_name" label={t('ticket.sign.signer')} rules={required()}>
            <Input />
          </Form.Item>
          <Form.Item name="comment" label={t('ticket.action.comment')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      );
    case 'complete_self_check':
      return (
        <>
          <Typography.Text strong>{t('ticket.selfCheck.checklist')}</Typography.Text>
          <Form.List name="checklist">
            {(fields, { add, remove }) => (
              <div data-testid="checklist">
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="baseline">
                    <Form.Item name={[f.name, 'passed']} valuePropName="checked">
                      <Checkbox />
                    </Form.Item>
                    <Form.Item name={[f.name, 'item']} rules={required()} style={{ flex: 1 }}>
                      <Input />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('ticket.action.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add({ item: '', passed: true })} icon={<PlusOutlined />} block style={{ marginBottom: 16 }}>
                  {t('ticket.selfCheck.add')}
                </Button>
              </div>
            )}
          </Form.List>
          {note}
        </>
      );
    case 'close':
      return (
        <Form.Item name="summary" label={t('ticket.action.summary')}>
          <Input.TextArea rows={3} />
        </Form.Item>
      );
    case 'pause':
      return (
        <>
          <Form.Item name="pause_reason" label={t('ticket.action.pauseReason')} rules={[{ required: true, message: t('ticket.action.required') }]}>
            <Select options={PAUSE_REASONS.map((p) => ({ value: p, label: label('pauseReason', p) }))} />
          </Form.Item>
          {reasonRequired}
        </>
      );
    default:
      return note;
  }
}

function PlanSummary({ ticket }: { ticket: TicketDetail }) {
  const intl = useIntl();
  const plans = ticket.records?.plan ?? [];
  const plan = plans[plans.length - 1] as Record<string, unknown> | undefined;
  if (!plan) return null;
  const data = (plan.data as Record<string, unknown>) ?? plan;
  return (
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      message={String(data.goal ?? '')}
      description={
        <span>
          {String(data.scope ?? '')}
          {data.cost_amount !== undefined && data.cost_amount !== null ? ` · ${intl.formatMessage({ id: 'ticket.plan.cost' })} ¥${String(data.cost_amount)}` : ''}
        </span>
      }
    />
  );
}

function ArriveFields() {
  const intl = useIntl();
  const form = Form.useFormInstance();
  const [locating, setLocating] = useState(false);
  const locate = () => {
    if (!navigator.geolocation) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        form.setFieldsValue({ latitude: Number(p.coords.latitude.toFixed(6)), longitude: Number(p.coords.longitude.toFixed(6)) });
        setLocating(false);
      },
      () => setLocating(false),
      { timeout: 8000 },
    );
  };
  return (
    <>
      <Flex gap={8} align="end" wrap>
        <Form.Item name="latitude" label={intl.formatMessage({ id: 'ticket.action.latitude' })}>
          <InputNumber min={-90} max={90} step={0.000001} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="longitude" label={intl.formatMessage({ id: 'ticket.action.longitude' })}>
          <InputNumber min={-180} max={180} step={0.000001} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item>
          <Button icon={<AimOutlined />} onClick={locate} loading={locating}>
            <FormattedMessage id="ticket.action.locate" />
          </Button>
        </Form.Item>
      </Flex>
      <Form.Item name="note" label={intl.formatMessage({ id: 'ticket.action.note' })}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

function DispatchFields({ ticket, onAuto, saving, reassign }: { ticket: TicketDetail; onAuto: () => void; saving: boolean; reassign: boolean }) {
  const intl = useIntl();
  const { locale } = useLocale();
  const form = Form.useFormInstance();
  const staffIds = (Form.useWatch('staff_ids', form) as number[] | undefined) ?? [];
  const [data, setData] = useState<DispatchSuggestions | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    ticketApi
      .dispatchSuggestions(ticket.id, ac.signal)
      .then((d) => {
        setData(d);
        setLoading(false);
      })
      .catch((e) => {
        if (ac.signal.aborted) return;
        setLoading(false);
        setError(e instanceof Error ? e.message : String(e));
      });
    return () => ac.abort();
  }, [ticket.id]);
  const reasonText = (r: { zh: string; en: string }) => (locale === 'zh-CN' ? r.zh : r.en);
  const toggle = (id: number, on: boolean) => {
    const next = on ? [...staffIds, id] : staffIds.filter((x) => x !== id);
    form.setFieldsValue({ staff_ids: next, lead_staff_id: next.includes(form.getFieldValue('lead_staff_id')) ? form.getFieldValue('lead_staff_id') : next[0] });
  };
  const techs = data?.technicians ?? [];
  let body: ReactNode;
  if (loading) body = <Spin />;
  else if (error) body = <Alert type="warning" message={error} />;
  else
    body = (
      <>
        {data?.team_name && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            message={intl.formatMessage({ id: 'ticket.dispatch.team' }, { team: data.team_name })}
            description={data.team_reasons.map(reasonText).join('；')}
          />
        )}
        <List
          size="small"
          data-testid="dispatch-suggestions"
          dataSource={techs}
          locale={{ emptyText: intl.formatMessage({ id: 'ticket.dispatch.none' }) }}
          style={{ maxHeight: 300, overflow: 'auto' }}
          renderItem={(s) => (
            <List.Item>
              <Checkbox checked={staffIds.includes(s.staff_id)} onChange={(e) => toggle(s.staff_id, e.target.checked)} style={{ width: '100%' }}>
                <Space direction="vertical" size={0}>
                  <Space>
                    <Typography.Text strong>{s.name}</Typography.Text>
                    <Tag color="blue">{intl.formatMessage({ id: 'ticket.dispatch.score' }, { score: s.score })}</Tag>
                    {s.team_name && <Typography.Text type="secondary">{s.team_name}</Typography.Text>}
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {s.reasons.filter((r) => r.points !== 0).map(reasonText).join('；')}
                  </Typography.Text>
                </Space>
              </Checkbox>
            </List.Item>
          )}
        />
      </>
    );
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">
          <FormattedMessage id="ticket.dispatch.hint" />
        </Typography.Text>
        <Button type="primary" ghost icon={<ThunderboltOutlined />} onClick={onAuto} loading={saving} data-testid="dispatch-auto">
          <FormattedMessage id="ticket.dispatch.auto" />
        </Button>
      </Flex>
      {body}
      <Divider style={{ margin: '12px 0' }} />
      <Form.Item name="staff_ids" hidden>
        <Select mode="multiple" />
      </Form.Item>
      <Form.Item name="lead_staff_id" label={intl.formatMessage({ id: 'ticket.dispatch.lead' })}>
        <Select
          allowClear
          options={techs.filter((s) => staffIds.includes(s.staff_id)).map((s) => ({ value: s.staff_id, label: s.name }))}
        />
      </Form.Item>
      {reassign ? (
        <Form.Item name="reason" label={intl.formatMessage({ id: 'ticket.action.reason' })} rules={[{ required: true, whitespace: true, message: intl.formatMessage({ id: 'ticket.action.required' }) }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      ) : (
        <Form.Item name="note" label={intl.formatMessage({ id: 'ticket.action.note' })}>
          <Input.TextArea rows={2} />
        </Form.Item>
      )}
    </>
  );
}
