// What Settle charges (GET /v1/fees), fetched once per page load, and the
// freelancer's net of a release computed with the server's own fee function.

import { useEffect, useState } from 'react';
import { serviceFee } from '../../../src/domain/money.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { api } from './api.ts';

export interface Fees {
  object: 'fees';
  service_fee_bps: number;
  arbitration_fee_amount: number;
}

let loading: Promise<Fees> | undefined;

export function useFees(): Fees | undefined {
  const [fees, setFees] = useState<Fees>();
  useEffect(() => {
    let live = true;
    loading ??= api.get<Fees>('/v1/fees');
    loading.then(
      (f) => live && setFees(f),
      () => {
        loading = undefined;
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return fees;
}

/** "10%", "7.5%". */
export const feePercent = (bps: number): string => `${bps / 100}%`;

/**
 * The fee and the freelancer's net when `amounts` are released (each release
 * — the approved amount, a bonus — is charged separately, as the server does);
 * undefined for amounts outside the limits, which the server refuses anyway.
 */
export function releaseNet(amounts: readonly number[], bps: number): { fee: number; net: number } | undefined {
  if (amounts.some((a) => !Number.isSafeInteger(a) || a < 0 || a > LIMITS.max_amount_minor)) return undefined;
  const fee = amounts.reduce((sum, a) => sum + serviceFee(a, bps), 0);
  return { fee, net: amounts.reduce((sum, a) => sum + a, 0) - fee };
}
