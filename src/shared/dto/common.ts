/** Small zod building blocks shared by the channel input schemas. */
import { z } from 'zod';

// Every bundle that loads the contract (preload, renderer, harness bridge) runs under a CSP without 'unsafe-eval';
// zod's `new Function` feature probe is caught by zod but still reported as a CSP violation. Jitless skips the
// probe; IPC inputs are small, so the JIT fast path is not missed in main either.
z.config({ jitless: true });

/** An AWS region name: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5. */
export const regionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'Not an AWS region name');

/** A 12-digit AWS account id. */
export const accountIdSchema = z.string().regex(/^\d{12}$/, 'An AWS account id has 12 digits');

/** A calendar day, YYYY-MM-DD (the Cost Explorer convention). */
export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are written YYYY-MM-DD');

/** Short identifiers (service codes, resource types, reasons) — bounded so a bad renderer cannot send megabytes. */
export const shortText = z.string().min(1).max(256);

export const idSchema = z.number().int().positive();

export function pageSchema(defaultLimit: number, maxLimit: number) {
  return {
    limit: z.number().int().min(1).max(maxLimit).default(defaultLimit),
    offset: z.number().int().min(0).default(0),
  };
}

/** A page of rows with the size of the whole filter. */
export interface PageDto<T> {
  rows: T[];
  total: number;
  limit: number;
  offset: number;
}
