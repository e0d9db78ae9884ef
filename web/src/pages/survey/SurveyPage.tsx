// Public satisfaction survey /survey/:token — no login, outside the app shell, phone first.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Rate, Result, Spin, Typography, theme } from 'antd';
import { FormattedMessage, useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { describeError } from '../../api/errors';
import { SURVEY_DIMENSIONS, surveyApi, type SurveyAnswer, type SurveyInfo } from '../../api/surveys';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { formatTime } from '../../tickets/ui';

type View =
  | { kind: 'loading' }
  | { kind: 'form'; info: SurveyInfo }
  | { kind: 'notFound' }
  | { kind: 'expired' }
  | { kind: 'answered' }
  | { kind: 'thanks' }
  | { kind: 'error'; message: string };

export default function SurveyPage() {
  const { token = '' } = useParams();
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const { token: theme_ } = theme.useToken();
  const [form] = Form.useForm<SurveyAnswer>();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [saving, setSaving] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const errorText = (e: unknown) => {
    const d = describeError(e);
    return d ? intl.formatMessage({ id: d.id }, d.values) : String(e);
  };

  useEffect(() => {
    const ac = new AbortController();
    surveyApi
      .get(token, ac.signal)
      .then((info) => {
        if (info.answered) setView({ kind: 'answered' });
        else if (info.expired) setView({ kind: 'expired' });
        else setView({ kind: 'form', info });
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) setView({ kind: 'notFound' });
        else if (e instanceof ApiError && e.status === 410) setView({ kind: 'expired' });
        else if (e instanceof ApiError && e.status === 409) setView({ kind: 'answered' });
        else setView({ kind: 'error', message: errorText(e) });
      });
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const onFinish = async (values: SurveyAnswer) => {
    setSaving(true);
    setSubmitError(null);
    const body: SurveyAnswer = { ...values };
    if (!body.comment?.trim()) delete body.comment;
    else body.comment = body.comment.trim();
    try {
      await surveyApi.answer(token, body);
      setView({ kind: 'thanks' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.fieldErrors.length) {
        form.setFields(e.fieldErrors.map((fe) => ({ name: fe.field as keyof SurveyAnswer, errors: [fe.message ?? fe.rule ?? ''] })));
        setSubmitError(t('survey.page.fixFields'));
      } else if (e instanceof ApiError && e.status === 410) setView({ kind: 'expired' });
      else if (e instanceof ApiError && e.status === 404) setView({ kind: 'notFound' });
      else if (e instanceof ApiError && e.status === 409) setView({ kind: 'answered' });
      else setSubmitError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  let body;
  switch (view.kind) {
    case 'loading':
      body = <Spin style={{ display: 'block', margin: '48px auto' }} />;
      break;
    case 'notFound':
      body = (
        <div data-testid="survey-not-found">
          <Result status="404" title={t('survey.page.notFound')} subTitle={t('survey.page.notFoundHint')} />
        </div>
      );
      break;
    case 'expired':
      body = (
        <div data-testid="survey-expired">
          <Result status="warning" title={t('survey.page.expired')} subTitle={t('survey.page.expiredHint')} />
        </div>
      );
      break;
    case 'answered':
      body = (
        <div data-testid="survey-answered">
          <Result status="success" title={t('survey.page.answered')} subTitle={t('survey.page.answeredHint')} />
        </div>
      );
      break;
    case 'thanks':
      body = (
        <div data-testid="survey-thanks">
          <Result status="success" title={t('survey.page.thanks')} subTitle={t('survey.page.thanksHint')} />
        </div>
      );
      break;
    case 'error':
      body = <Alert type="error" showIcon message={view.message} />;
      break;
    case 'form':
      body = (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }} styles={{ label: { whiteSpace: "nowrap" } }} data-testid="survey-info">
            <Descriptions.Item label={t('survey.page.number')}>{view.info.number}</Descriptions.Item>
            <Descriptions.Item label={t('survey.page.subject')}>{view.info.title}</Descriptions.Item>
            <Descriptions.Item label={t('survey.page.project')}>{view.info.project}</Descriptions.Item>
            <Descriptions.Item label={t('survey.page.closedAt')}>{formatTime(view.info.closed_at)}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary">
            <FormattedMessage id="survey.page.intro" />
          </Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="survey-form">
            {SURVEY_DIMENSIONS.map((d) => (
              <Form.Item
                key={d}
                name={d}
                label={t(`survey.dimension.${d}`)}
                rules={[{ required: true, message: t('survey.page.rateRequired') }]}
                style={{ marginBottom: 12 }}
              >
                <Rate data-testid={`rate-${d}`} style={{ fontSize: 30 }} tooltips={[1, 2, 3, 4, 5].map((n) => t(`survey.score.s${n}`))} />
              </Form.Item>
            ))}
            <Form.Item name="comment" label={t('survey.page.comment')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('survey.page.commentPlaceholder')} data-testid="survey-comment" />
            </Form.Item>
            {submitError && <Alert type="error" showIcon message={submitError} style={{ marginBottom: 16 }} />}
            <Button type="primary" htmlType="submit" block size="large" loading={saving} data-testid="survey-submit">
              <FormattedMessage id="survey.page.submit" />
            </Button>
          </Form>
        </>
      );
      break;
  }

  return (
    <div data-testid="survey-page" style={{ minHeight: '100vh', background: theme_.colorBgLayout, padding: '16px 12px 32px' }}>
      <div style={{ maxWidth: 560, margin: '0 auto' }}>
        <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 12, gap: 8 }}>
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <Typography.Text strong ellipsis>
              <FormattedMessage id="common.app.name" />
            </Typography.Text>
          </div>
          <LanguageSwitch size="small" />
        </div>
        <Card title={t('survey.page.title')} styles={{ body: { padding: 16 } }}>
          {body}
        </Card>
      </div>
    </div>
  );
}
