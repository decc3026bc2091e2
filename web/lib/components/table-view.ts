/**
 * The view of a card that shows only a table (ChartCard's tableOnly): the table of the rows, empty when there
 * are none, as ChartCard's rowsView is for a chart and its table.
 */
import type { TableData } from '../table.ts';

export function tableView<R>(rows: R[], table: (rows: R[]) => TableData, emptyText?: string): { table: TableData; empty: boolean; emptyText?: string } {
    return { table: table(rows), empty: rows.length === 0, emptyText };
}
