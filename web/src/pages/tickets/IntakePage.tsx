import { useEffect, useMemo, useRef, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Result, Row, Select, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { BulbOutlined, CameraOutlined, CheckOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { describeError } from '../../api/errors';
import { ticketApi, uploadAttachment, type CreatedTicket, type DuplicateRef, type IntakeBody, type Suggestion } from '../../api/tickets';
import { useAuth } from '../../auth/AuthProvider';
import { CHANNELS, GRADES, NATURES, fieldErrorsFor, newIdempotencyKey } from '../../tickets/model';
import { AssetTreeSelect, CustomerSelect, ProjectSelect } from '../../tickets/selects';
import { formatTime, GradeTag, useEnumLabel } from '../../tickets/ui';

interface FormValues {
  customer_id?: number;
  project_id?: number;
  asset_id?: number;
  channel: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
  title?: string;
  description?: string;
  demand?: string;
  grade?: string;
  nature?: string;
  duplicate_of_id?: number;
}

/** Upload list item → stored attachment id (set once the raw upload succeeded). */
type Photo = UploadFile<{ id: number }>;

/**
 * 新建工单: an agent on the phone (channel hotline) or a customer in the portal (`portal`).
 * Keyboard first: every field is reachable by Tab, selects search as you type, Ctrl+Enter saves.
 */
export default function IntakePage({ portal = false }: { portal?: boolean }) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const label = useEnumLabel();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { user } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedTicket | null>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const idemKey = useRef(newIdempotencyKey());
  const base = portal ? '/my/requests' : '/tickets';

  const customerId = Form.useWatch('customer_id', form);
  const projectId = Form.useWatch('project_id', form);
  const assetId = Form.useWatch('asset_id', form);
  const title = Form.useWatch('title', form);
  const description = Form.useWatch('description', form);
  const duplicateOf = Form.useWatch('duplicate_of_id', form);

  // live grading suggestion and likely duplicates, debounced
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [duplicates, setDuplicates] = useState<DuplicateRef[]>([]);
  const [suggesting, setSuggesting] = useState(false);
  useEffect(() => {
    if (!projectId || (!title?.trim() && !description?.trim())) {
      setSuggestion(null);
      setDuplicates([]);
      return;
    }
    const ac = new AbortController();
    const h = setTimeout(() => {
      setSuggesting(true);
      ticketApi
        .suggest({ project_id: projectId, asset_id: assetId, title: title ?? '', description: description ?? '' }, ac.signal)
        .then((r) => {
          setSuggestion(r.suggestion ?? null);
          setDuplicates(Array.isArray(r.duplicates) ? r.duplicates : []);
          setSuggesting(false);
        })
        .catch(() => {
          if (!ac.signal.aborted) setSuggesting(false);
        });
    }, 500);
    return () => {
      clearTimeout(h);
      ac.abort();
    };
  }, [projectId, assetId, title, description]);

  const uploading = photos.some((p) => p.status === 'uploading');

  const onFinish = async (v: FormValues) => {
    setSaving(true);
    const body: IntakeBody = {
      project_id: v.project_id!,
      channel: portal ? 'portal' : v.channel,
      title: (v.title ?? '').trim(),
      description: (v.description ?? '').trim(),
      ...(v.asset_id ? { asset_id: v.asset_id } : {}),
      ...(v.demand?.trim() ? { demand: v.demand.trim() } : {}),
      ...(v.contact_name?.trim() ? { contact_name: v.contact_name.trim() } : {}),
      ...(v.contact_phone?.trim() ? { contact_phone: v.contact_phone.trim() } : {}),
      ...(v.contact_email?.trim() ? { contact_email: v.contact_email.trim() } : {}),
      ...(!portal && v.grade ? { grade: v.grade } : {}),
      ...(!portal && v.grade && v.nature ? { nature: v.nature } : {}),
      ...(v.duplicate_of_id ? { duplicate_of_id: v.duplicate_of_id } : {}),
    };
    const ids = photos.filter((p) => p.status === 'done' && p.response?.id).map((p) => p.response!.id);
    if (ids.length) body.attachment_ids = ids;
    try {
      const res = await ticketApi.create(body, idemKey.current);
      setCreated(res);
      window.scrollTo({ top: 0 });
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) {
        form.setFields(fieldErrorsFor(e.fieldErrors) as never);
      }
      const d = describeError(e);
      if (d) message.error(intl.formatMessage({ id: d.id }, d.values));
    } finally {
      setSaving(false);
    }
  };

  const reset = () => {
    setCreated(null);
    setPhotos([]);
    setSuggestion(null);
    setDuplicates([]);
    idemKey.current = newIdempotencyKey();
    form.resetFields();
  };

  const milestoneRows = useMemo(() => (created?.sla?.milestones ?? []).filter((m) => m.due_at), [created]);

  if (created) {
    const next = created.next_step;
    return (
      <div data-testid="intake-result">
      <Result
        status="success"
        title={
          <span>
            <FormattedMessage id="ticket.intake.acceptedTitle" />{' '}
            <Typography.Text copyable strong style={{ fontSize: 24 }} data-testid="acceptance-number">
              {created.number}
            </Typography.Text>
          </span>
        }
        subTitle={
          next?.due_at
            ? t('ticket.intake.readBack', { number: created.number, milestone: label('milestone', next.milestone), due: formatTime(next.due_at) })
            : t('ticket.intake.readBackNoDue', { number: created.number })
        }
        extra={[
          <Button type="primary" key="open" onClick={() => navigate(`${base}/${created.id}`)} data-testid="open-created">
            <FormattedMessage id="ticket.intake.openDetail" />
          </Button>,
          <Button key="again" onClick={reset} data-testid="log-another">
            <FormattedMessage id="ticket.intake.another" />
          </Button>,
        ]}
      >
        {milestoneRows.length > 0 && (
          <Table
            size="small"
            pagination={false}
            rowKey="milestone"
            dataSource={milestoneRows}
            style={{ maxWidth: 560, margin: '0 auto' }}
            columns={[
              { title: t('ticket.detail.milestone'), dataIndex: 'milestone', render: (m: string) => label('milestone', m) },
              { title: t('ticket.detail.dueAt'), dataIndex: 'due_at', render: (d: string) => <Typography.Text strong>{formatTime(d)}</Typography.Text> },
            ]}
          />
        )}
        {created.duplicates?.length > 0 && (
          <Alert style={{ maxWidth: 560, margin: '16px auto 0' }} type="info" showIcon message={t('ticket.intake.possibleDuplicates', { count: created.duplicates.length })} />
        )}
      </Result>
      </div>
    );
  }

  const useSuggestion = () => {
    if (!suggestion) return;
    form.setFieldsValue({ grade: suggestion.grade ?? undefined, nature: suggestion.nature ?? undefined });
  };

  return (
    <div data-testid="intake-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <FormattedMessage id={portal ? 'portal.new.title' : 'ticket.intake.title'} />
      </Typography.Title>
      <Form<FormValues>
        form={form}
        name="intake"
        layout="vertical"
        initialValues={{ channel: 'hotline' }}
        onFinish={onFinish}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.submit();
        }}
        scrollToFirstError
      >
        <Row gutter={24}>
          <Col xs={24} lg={15}>
            <Row gutter={16}>
              {!portal && (
                <Col xs={24} md={12}>
                  <Form.Item name="customer_id" label={t('ticket.intake.customer')}>
                    <CustomerSelect
                      autoFocus
                      placeholder={t('ticket.intake.customerPlaceholder')}
                      onChange={() => form.setFieldsValue({ project_id: undefined, asset_id: undefined })}
                    />
                  </Form.Item>
                </Col>
              )}
              <Col xs={24} md={portal ? 24 : 12}>
                <Form.Item name="project_id" label={t('ticket.intake.project')} rules={[{ required: true, message: t('ticket.intake.projectRequired') }]}>
                  <ProjectSelect
                    customerId={customerId}
                    autoFocus={portal}
                    placeholder={t('ticket.intake.projectPlaceholder')}
                    onChange={() => form.setFieldsValue({ asset_id: undefined })}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={portal ? 24 : 12}>
                <Form.Item name="asset_id" label={t('ticket.intake.asset')}>
                  <AssetTreeSelect projectId={projectId} placeholder={t('ticket.intake.assetPlaceholder')} />
                </Form.Item>
              </Col>
              {!portal && (
                <Col xs={24} md={12}>
                  <Form.Item name="channel" label={t('ticket.intake.channel')}>
                    <Select options={CHANNELS.filter((c) => c !== 'portal').map((c) => ({ value: c, label: label('channel', c) }))} />
                  </Form.Item>
                </Col>
              )}
            </Row>
            <Form.Item name="title" label={t('ticket.intake.titleLabel')} rules={[{ required: true, whitespace: true, message: t('ticket.intake.titleRequired') }, { max: 200 }]}>
              <Input placeholder={t('ticket.intake.titlePlaceholder')} maxLength={200} />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('ticket.intake.description')}
              rules={[{ required: true, whitespace: true, message: t('ticket.intake.descriptionRequired') }, { max: 4000 }]}
            >
              <Input.TextArea rows={4} placeholder={t('ticket.intake.descriptionPlaceholder')} maxLength={4000} showCount />
            </Form.Item>
            <Form.Item name="demand" label={t('ticket.intake.demand')}>
              <Input.TextArea rows={2} placeholder={t('ticket.intake.demandPlaceholder')} />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item name="contact_name" label={t('ticket.intake.contactName')} initialValue={portal ? user?.display_name : undefined}>
                  <Input autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="contact_phone" label={t('ticket.intake.contactPhone')} rules={[{ pattern: /^[0-9+\-() ]{5,20}$/, message: t('ticket.intake.phoneInvalid') }]}>
                  <Input autoComplete="off" inputMode="tel" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="contact_email" label={t('ticket.intake.contactEmail')} rules={[{ type: 'email', message: t('ticket.intake.emailInvalid') }]}>
                  <Input autoComplete="off" inputMode="email" />
                </Form.Item>
              </Col>
            </Row>
            {!portal && (
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="grade" label={t('ticket.intake.grade')} extra={t('ticket.intake.gradeHint')}>
                    <Select allowClear showSearch optionFilterProp="label" options={GRADES.map((g) => ({ value: g, label: label('grade', g) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="nature" label={t('ticket.intake.nature')}>
                    <Select allowClear showSearch optionFilterProp="label" options={NATURES.map((g) => ({ value: g, label: label('nature', g) }))} />
                  </Form.Item>
                </Col>
              </Row>
            )}
            <Form.Item name="duplicate_of_id" hidden>
              <Input />
            </Form.Item>
            <Form.Item label={t('ticket.intake.photos')}>
              <Upload
                accept="image/*,video/*"
                listType="picture-card"
                multiple
                fileList={photos}
                onChange={({ fileList }) => setPhotos(fileList as Photo[])}
                customRequest={({ file, onSuccess, onError }) => {
                  uploadAttachment(file as File, { purpose: 'intake' })
                    .then((a) => onSuccess?.(a))
                    .catch((e: Error) => {
                      message.error(e.message);
                      onError?.(e);
                    });
                }}
              >
                <div>
                  <CameraOutlined />
                  <div style={{ marginTop: 4 }}>
                    <FormattedMessage id="ticket.intake.addPhoto" />
                  </div>
                </div>
              </Upload>
            </Form.Item>
            <Flex gap={8} align="center">
              <Button type="primary" htmlType="submit" loading={saving} disabled={uploading} data-testid="intake-submit">
                <FormattedMessage id="ticket.intake.submit" />
              </Button>
              <Link to={base}>
                <Button>
                  <FormattedMessage id="ticket.intake.cancel" />
                </Button>
              </Link>
              <Typography.Text type="secondary">
                <FormattedMessage id="ticket.intake.shortcut" />
              </Typography.Text>
            </Flex>
          </Col>
          <Col xs={24} lg={9}>
            {!portal && (
              <Card
                size="small"
                data-testid="suggestion-card"
                title={
                  <Space>
                    <BulbOutlined />
                    <FormattedMessage id="ticket.intake.suggestion" />
                    {suggesting && <Spin size="small" />}
                  </Space>
                }
                extra={
                  suggestion?.grade ? (
                    <Button size="small" icon={<CheckOutlined />} onClick={useSuggestion} data-testid="use-suggestion">
                      <FormattedMessage id="ticket.intake.useSuggestion" />
                    </Button>
                  ) : null
                }
                style={{ marginBottom: 16 }}
              >
                {suggestion?.grade || suggestion?.nature ? (
                  <>
                    <Descriptions size="small" column={1}>
                      <Descriptions.Item label={t('ticket.intake.grade')}>
                        <GradeTag grade={suggestion.grade} />
                      </Descriptions.Item>
                      <Descriptions.Item label={t('ticket.intake.nature')}>{label('nature', suggestion.nature)}</Descriptions.Item>
                    </Descriptions>
                    <Typography.Text type="secondary">
                      <FormattedMessage id="ticket.intake.reasons" />
                    </Typography.Text>
                    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }} data-testid="suggestion-reasons">
                      {suggestion.reasons.map((r, i) => (
                        <li key={i}>
                          <Typography.Text style={{ fontSize: 13 }}>{r}</Typography.Text>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.intake.suggestionEmpty')} />
                )}
              </Card>
            )}
            <Card size="small" title={<FormattedMessage id="ticket.intake.duplicates" />} data-testid="duplicates-card">
              {duplicates.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.intake.noDuplicates')} />
              ) : (
                <List
                  size="small"
                  dataSource={duplicates}
                  renderItem={(d) => (
                    <List.Item
                      actions={[
                        duplicateOf === d.id ? (
                          <Tag color="blue" key="l">
                            <FormattedMessage id="ticket.intake.linked" />
                          </Tag>
                        ) : (
                          <Button size="small" key="l" onClick={() => form.setFieldsValue({ duplicate_of_id: d.id })}>
                            <FormattedMessage id="ticket.intake.linkDuplicate" />
                          </Button>
                        ),
                      ]}
                    >
                      <List.Item.Meta
                        title={
                          <Link to={`${base}/${d.id}`} target="_blank">
                            {d.number}
                          </Link>
                        }
                        description={
                          <span>
                            {d.title}
                            {d.state ? ` · ${label('state', d.state)}` : ''}
                          </span>
                        }
                      />
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Col>
        </Row>
      </Form>
    </div>
  );
}
