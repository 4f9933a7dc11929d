// Log in and sign up. After either, the person lands where they were going
// (an email link to a dispute, say) or on their home page.

import { useState, type FormEvent, type ReactNode } from 'react';
import { errorFor, FormError, TextField } from '../components/Form.tsx';
import { browserZone, PlaceFields } from '../components/PlaceFields.tsx';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/hooks.ts';
import { Link, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import type { User } from '../lib/types.ts';

/** The centred card of the signed-out pages. */
function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          Settle
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}

function useAfterSignIn() {
  const { search, navigate } = useRouter();
  return () => {
    const next = search.get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  };
}

export function LoginPage() {
  const { signIn } = useSession();
  const after = useAfterSignIn();
  const action = useAction();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => signIn(email, password))) after();
  };
  return (
    <AuthCard title="Log in">
      <form onSubmit={submit} noValidate>
        <TextField label="Email" type="email" autoComplete="email" required value={email} onValue={setEmail} error={errorFor(action.error, 'email')} />
        <TextField label="Password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} error={errorFor(action.error, 'password')} />
        <FormError error={action.error} fields={['email', 'password']} />
        <button className="button button-primary button-block" type="submit" disabled={action.pending}>
          {action.pending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="auth-switch">
        New to Settle? <Link to="/signup">Create an account</Link>
      </p>
    </AuthCard>
  );
}

export function SignUpPage() {
  const { signIn } = useSession();
  const after = useAfterSignIn();
  const action = useAction();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [zone, setZone] = useState(browserZone);
  const [country, setCountry] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(async (key) => {
      await api.post<User>('/v1/users', { name, email, password, time_zone: zone, ...(country ? { country: country.toUpperCase() } : {}) }, { idempotencyKey: key });
      await signIn(email, password);
    });
    if (ok) after();
  };
  const fields = ['name', 'email', 'password', 'time_zone', 'country'];
  return (
    <AuthCard title="Create your account">
      <form onSubmit={submit} noValidate>
        <TextField label="Name" autoComplete="name" required value={name} onValue={setName} error={errorFor(action.error, 'name')} />
        <TextField label="Email" type="email" autoComplete="email" required value={email} onValue={setEmail} error={errorFor(action.error, 'email')} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onValue={setPassword}
          hint="At least 10 characters."
          error={errorFor(action.error, 'password')}
        />
        <PlaceFields zone={zone} country={country} onZone={setZone} onCountry={setCountry} error={action.error} />
        <FormError error={action.error} fields={fields} />
        <button className="button button-primary button-block" type="submit" disabled={action.pending}>
          {action.pending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthCard>
  );
}
