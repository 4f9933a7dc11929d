// Settings: the person's name, time zone and country (PATCH /v1/me). The
// zone is how every time in the app is shown and how business days are
// counted for them; after saving, the session holds the new profile so every
// page switches zone at once.

import { useState, type FormEvent } from 'react';
import { errorFor, FormError, TextField } from '../components/Form.tsx';
import { PlaceFields } from '../components/PlaceFields.tsx';
import { PageHeader, Time } from '../components/ui.tsx';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/hooks.ts';
import { useMe, useServerNow, useSession } from '../lib/session.tsx';
import type { User } from '../lib/types.ts';

export function SettingsPage() {
  const me = useMe();
  const { setMe } = useSession();
  const now = useServerNow();
  const [name, setName] = useState(me.name);
  const [zone, setZone] = useState(me.time_zone);
  const [country, setCountry] = useState(me.country ?? '');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    let user: User | undefined;
    const ok = await action.run(() =>
      api.patch<User>('/v1/me', { name: name.trim(), time_zone: zone, country: country.trim() ? country.trim().toUpperCase() : null }).then((u) => {
        user = u;
      }),
    );
    if (ok && user) {
      setMe(user);
      setSaved(true);
    }
  };
  const fields = ['name', 'time_zone', 'country'];
  return (
    <>
      <PageHeader title="Settings" eyebrow={me.email} />
      <section className="card settings" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <form onSubmit={submit} noValidate>
          <TextField label="Name" autoComplete="name" value={name} onValue={setName} error={errorFor(action.error, 'name')} />
          <PlaceFields zone={zone} country={country} onZone={setZone} onCountry={setCountry} error={action.error} />
          <FormError error={action.error} fields={fields} />
          {saved && (
            <p className="alert alert-ok" role="status">
              Saved. Times are now shown in {me.time_zone}.
            </p>
          )}
          <button className="button button-primary" type="submit" disabled={action.pending}>
            {action.pending ? 'Saving…' : 'Save'}
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="time-heading">
        <h2 id="time-heading">How times look</h2>
        <p>
          Settle's clock now reads <Time at={new Date(now).toISOString()} exact /> ({me.time_zone}).
        </p>
      </section>
    </>
  );
}
