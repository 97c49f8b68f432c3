import { z } from 'zod';
import { findingsFilterSchema } from './findings';

export const exportFindingsInput = z.strictObject({
  format: z.enum(['csv', 'json']),
  /** Every matching row is exported (no paging). */
  filter: findingsFilterSchema.default({}),
});

/** A file for the renderer to download (a Blob + <a download>): the same in Electron and in the browser harness. */
export interface ExportFileDto {
  filename: string;
  mimeType: string;
  content: string;
}

export const openExternalInput = z.strictObject({ url: z.url().max(2048) });
