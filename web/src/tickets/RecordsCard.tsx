// 现场记录: the numbered records of a request (diagnosis, plan, agreement, self-check, acceptances …)
// with every field under its translated label and every code as its translated value.
import type { ReactNode } from 'react';
import { Card, Descriptions, Image, Typography } from 'antd';
import { useIntl } from 'react-intl';
import { attachmentUrl, type TicketDetail } from '../api/tickets';
import { useLocale } from '../i18n/I18nProvider';
import { useEnumLabel } from './ui';

const RECORD_KINDS_ORDER = ['diagnosis', 'plan', 'agreement', 'self_check', 'internal_acceptance', 'customer_acceptance', 'consultation_answer', 'remote_fix'];

/** Fields not shown: the action's name, attachment ids (the attachments card shows them). */
const HIDDEN = new Set(['action', 'attachment_ids', 'version', 'idempotency_key']);

/** Field → message id of its label. */
export const FIELD_LABELS: Record<string, string> = {
  by: 'ticket.field.by',
  findings: 'ticket.diagnosis.findings',
  cause: 'ticket.diagnosis.cause',
  severity: 'ticket.diagnosis.severity',
  nature: 'ticket.intake.nature',
  major_defect: 'ticket.diagnosis.majorDefect',
  measurements: 'ticket.diagnosis.measurements',
  recommendation: 'ticket.diagnosis.recommendation',
  customer_representative: 'ticket.diagnosis.customerRep',
  customer_opinion: 'ticket.diagnosis.customerOpinion',
  contractor_opinion: 'ticket.field.contractorOpinion',
  customer_signature_attachment_id: 'ticket.field.signature',
  signature_attachment_id: 'ticket.field.signature',
  cost: 'ticket.detail.cost',
  goal: 'ticket.plan.goal',
  scope: 'ticket.plan.scope',
  process: 'ticket.plan.process',
  steps: 'ticket.plan.steps',
  quality_standard: 'ticket.plan.quality',
  safety_measures: 'ticket.plan.safety',
  schedule_start: 'ticket.plan.start',
  schedule_end: 'ticket.plan.end',
  resources: 'ticket.plan.resources',
  cost_amount: 'ticket.plan.cost',
  cost_bearing: 'ticket.plan.bearing',
  cost_override_reason: 'ticket.plan.overrideReason',
  materials: 'ticket.plan.materials',
  checklist: 'ticket.selfCheck.checklist',
  note: 'ticket.action.note',
  comment: 'ticket.action.comment',
  signer_name: 'ticket.sign.signer',
  answer: 'ticket.action.answer',
  reason: 'ticket.action.reason',
  summary: 'ticket.action.summary',
};

/** Fields whose value is a code of a ticket vocabulary (`ticket.<area>.<code>`). */
const ENUM_FIELDS: Record<string, string> = { cause: 'cause', severity: 'severity', nature: 'nature', cost_bearing: 'bearing' };

type Data = Record<string, unknown>;

export function RecordsCard({ ticket }: { ticket: TicketDetail }) {
  const intl = useIntl();
  const records = ticket.records ?? {};
  const kinds = Object.keys(records).sort((a, b) => RECORD_KINDS_ORDER.indexOf(a) - RECORD_KINDS_ORDER.indexOf(b));
  if (!kinds.length) return null;
  return (
    <Card size="small" title={intl.formatMessage({ id: 'ticket.detail.records' })} style={{ marginTop: 16 }} data-testid="records">
      {kinds.map((k) =>
        records[k].map((r, i) => {
          const data = ((r as { data?: Data }).data ?? r) as Data;
          const idKey = `ticket.record.${k}`;
          return (
            <RecordView
              key={`${k}-${i}`}
              title={`${intl.messages[idKey] ? intl.formatMessage({ id: idKey }) : k}${records[k].length > 1 ? ` #${i + 1}` : ''}`}
              data={data}
            />
          );
        }),
      )}
    </Card>
  );
}

function RecordView({ title, data }: { title: string; data: Data }) {
  const intl = useIntl();
  const fieldLabel = (key: string) => (FIELD_LABELS[key] && intl.messages[FIELD_LABELS[key]] ? intl.formatMessage({ id: FIELD_LABELS[key] }) : key);
  const items = Object.entries(data)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([key, v]) => ({ key, label: <span data-testid="record-field">{fieldLabel(key)}</span>, children: <FieldValue field={key} value={v} /> }));
  return <Descriptions size="small" bordered column={1} style={{ marginBottom: 12 }} title={title} items={items} data-testid="record" />;
}

function FieldValue({ field, value }: { field: string; value: unknown }): ReactNode {
  const intl = useIntl();
  const label = useEnumLabel();
  const { locale } = useLocale();
  const t = (id: string) => intl.formatMessage({ id });
  if (ENUM_FIELDS[field] && typeof value === 'string') return label(ENUM_FIELDS[field], value);
  if (field.endsWith('signature_attachment_id') && typeof value === 'number')
    return <Image src={attachmentUrl(value)} height={56} alt={t('ticket.field.signature')} style={{ background: '#fff', border: '1px solid #f0f0f0' }} />;
  if (field === 'cost' && value && typeof value === 'object') {
    const c = value as { bearing?: string; reason_zh?: string; reason_en?: string };
    return `${label('bearing', c.bearing)}${(locale === 'zh-CN' ? c.reason_zh : c.reason_en) ? ` — ${locale === 'zh-CN' ? c.reason_zh : c.reason_en}` : ''}`;
  }
  if (field === 'cost_amount' && typeof value === 'number') return `¥${value}`;
  if (typeof value === 'boolean') return t(value ? 'ticket.field.yes' : 'ticket.field.no');
  if (Array.isArray(value)) return <ul style={{ margin: 0, paddingInlineStart: 16 }}>{value.map((x, i) => <li key={i}>{listItem(field, x, t)}</li>)}</ul>;
  if (value && typeof value === 'object') return JSON.stringify(value);
  return <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</Typography.Text>;
}

function listItem(field: string, x: unknown, t: (id: string) => string): string {
  if (!x || typeof x !== 'object') return String(x);
  const o = x as Data;
  if (field === 'measurements') return `${o.instrument ?? ''}: ${o.value ?? ''} ${o.unit ?? ''}${o.location ? ` (${o.location})` : ''}`.trim();
  if (field === 'checklist') return `${o.passed ? '✓' : '✗'} ${o.item ?? ''}`;
  if (field === 'materials') return [o.name, o.spec, o.quantity !== undefined ? `×${o.quantity}${o.unit ?? ''}` : ''].filter(Boolean).join(' ');
  return Object.values(o)
    .filter((v) => v !== null && v !== '' && typeof v !== 'object')
    .map((v) => (typeof v === 'boolean' ? t(v ? 'ticket.field.yes' : 'ticket.field.no') : String(v)))
    .join(' · ');
}
