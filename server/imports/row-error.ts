/**
 * Why one row of an import is invalid: the column at fault and a reason that starts with the column's label,
 * thrown by an importer's row check and caught per row (the row is reported, the import goes on).
 */
import type { Bilingual } from '../http/errors';

export class RowError extends Error {
  constructor(
    readonly column: string,
    readonly reason: Bilingual,
  ) {
    super(reason.en);
  }
}

/** `fail(column, zh, en)` and `missing(column)` for an importer whose columns have these labels */
export function rowFailures(labels: Record<string, Bilingual>) {
  const fail = (column: string, zh: string, en: string): never => {
    const label = labels[column] ?? { zh: column, en: column };
    throw new RowError(column, { zh: `${label.zh}：${zh}`, en: `${label.en}: ${en}` });
  };
  return { fail, missing: (column: string): never => fail(column, '不能为空', 'required') };
}
