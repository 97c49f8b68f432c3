/** Fault injection, changeable at runtime. Random faults come from a seeded PRNG so runs are reproducible. */

import { mulberry32 } from './prng';

export type CostExplorerFault = 'AccessDeniedException' | 'LimitExceededException' | 'DataUnavailableException' | 'BillExpirationException';

export interface Faults {
  /** Added latency per request, ms. */
  latencyMs?: number;
  /** Share of requests (0–1) answered with the service's throttling error. */
  throttleRate?: number;
  /** Share of requests (0–1) answered with a 5xx. */
  serverErrorRate?: number;
  /** PRNG seed (default 1); reseeded by every setFaults. */
  seed?: number;
  /** Regions answering AuthFailure (401) to every call of a service that models them (EC2), as a region that is not enabled does. */
  authFailureRegions?: string[];
  /** Every Cost Explorer call fails with this error. */
  costExplorerError?: CostExplorerFault | null;
}


export type Roll = 'throttle' | 'server-error' | null;

export class FaultInjector {
  private faults: Faults = {};
  private rand: () => number = mulberry32(1);

  constructor(f: Faults = {}) {
    this.set(f);
  }

  /** Replaces all faults (pass `{}` to clear them). */
  set(f: Faults): void {
    this.faults = { ...f };
    this.rand = mulberry32(f.seed ?? 1);
  }

  get(): Faults {
    return { ...this.faults };
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  isAuthFailureRegion(region: string): boolean {
    return this.faults.authFailureRegions?.includes(region) ?? false;
  }

  get costExplorerError(): CostExplorerFault | null {
    return this.faults.costExplorerError ?? null;
  }

  /** One die per request: throttling first, then 5xx (both zero by default, costing no draw). */
  roll(): Roll {
    const t = this.faults.throttleRate ?? 0;
    const s = this.faults.serverErrorRate ?? 0;
    if (t <= 0 && s <= 0) return null;
    const x = this.rand();
    if (x < t) return 'throttle';
    if (x < t + s) return 'server-error';
    return null;
  }
}
