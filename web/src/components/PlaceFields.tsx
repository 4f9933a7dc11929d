// Time zone and country: how a person's deadlines are shown and how their
// business days are counted (public holidays of the country). Used by sign-up
// and Settings.

import type { ApiError } from '../lib/api.ts';
import { errorFor, SelectField, TextField } from './Form.tsx';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

/** The browser's zone, the default for a new account. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The supported zones, with the person's own first if the browser does not know it. */
const zoneOptions = (current: string) => (ZONES.includes(current) ? ZONES : [current, ...ZONES]).map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));

interface PlaceFieldsProps {
  zone: string;
  country: string;
  onZone(zone: string): void;
  onCountry(country: string): void;
  error: ApiError | undefined;
}

export function PlaceFields({ zone, country, onZone, onCountry, error }: PlaceFieldsProps) {
  return (
    <>
      <SelectField
        label="Time zone"
        value={zone}
        onValue={onZone}
        options={zoneOptions(zone)}
        hint="Every time and deadline is shown in this zone, and your business days are counted in it."
        error={errorFor(error, 'time_zone')}
      />
      <TextField
        label="Country (optional)"
        value={country}
        onValue={onCountry}
        maxLength={2}
        placeholder="US"
        hint="Two letters; public holidays there do not count as business days."
        error={errorFor(error, 'country')}
      />
    </>
  );
}
