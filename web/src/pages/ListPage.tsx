import type { ReactNode } from 'react';
import { Button, Empty, Flex, Input, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ReloadOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { PAGE_SIZES, sortParam, type ListParams } from '../hooks/listParams';
import type { Page } from '../api/types';

interface Props<T> {
  testId: string;
  title: ReactNode;
  searchPlaceholder: string;
  params: ListParams;
  data: Page<T>;
  loading: boolean;
  columns: ColumnsType<T>;
  onChange: (patch: Partial<ListParams>) => void;
  onReload: () => void;
  /** extra filter controls beside the search box */
  filters?: ReactNode;
}

/** The common frame of a read-only, server-paged master-data table. */
export function ListPage<T extends { id: number | string }>(props: Props<T>) {
  const intl = useIntl();
  const { params, data, loading } = props;
  return (
    <div data-testid={props.testId}>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {props.title}
        </Typography.Title>
        <Flex gap={8} wrap>
          {props.filters}
          <Input.Search
            key={params.q}
            data-testid="list-search"
            defaultValue={params.q}
            placeholder={props.searchPlaceholder}
            allowClear
            enterButton
            style={{ width: 300 }}
            onSearch={(value) => props.onChange({ q: value.trim() })}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={props.onReload}
            aria-label={intl.formatMessage({ id: 'common.list.refresh' })}
            title={intl.formatMessage({ id: 'common.list.refresh' })}
          />
        </Flex>
      </Flex>
      <Table<T>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={props.columns}
        dataSource={data.items}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                params.q ? (
                  <FormattedMessage id="common.list.emptySearch" values={{ q: params.q }} />
                ) : (
                  <FormattedMessage id="common.list.empty" />
                )
              }
            />
          ),
        }}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (extra.action !== 'sort' || Array.isArray(sorter)) return;
          const field = typeof sorter.columnKey === 'string' ? sorter.columnKey : String(sorter.field ?? '');
          props.onChange({ sort: sortParam(field, sorter.order) });
        }}
        pagination={{
          current: params.page,
          pageSize: params.size,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: (total) =>
            intl.formatMessage({ id: data.total_exact === false ? 'common.list.totalAtLeast' : 'common.list.total' }, { total }),
          onChange: (page, size) => props.onChange(size !== params.size ? { page: 1, size } : { page, size }),
        }}
      />
    </div>
  );
}
