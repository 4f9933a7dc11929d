// The operator panel (/operator): with the operator's token (SETTLE_ADMIN_TOKEN)
// it moves the sandbox clock, so deadlines can be walked through by hand, and
// creates staff and arbitrator accounts. It works signed in or not, so it has
// its own small frame. The token lives in sessionStorage only: it is gone when
// the tab closes and never written to disk by the app.

import { useState, type FormEvent, type ReactNode } from 'react';
import { errorFor, FormError, SelectField, TextField } from '../components/Form.tsx';
import { Loading } from '../components/ui.tsx';
import { api, type ApiError } from '../lib/api.ts';
import { formatTime } from '../lib/format.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import type { Clock, Dispute, User } from '../lib/types.ts';

const TOKEN_KEY = 'settle.operator_token';

interface TestClock {
  object: 'test_clock';
  now: string;
  rules_applied?: number;
}

function readToken(): string {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function useOperatorToken(): [string, (token: string) => void] {
  const [token, setTokenState] = useState(readToken);
  const setToken = (next: string) => {
    try {
      if (next) window.sessionStorage.setItem(TOKEN_KEY, next);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Storage refused (private mode): the token lasts until the page reloads.
    }
    setTokenState(next);
  };
  return [token, setToken];
}

/** What an operator error means here, beyond the API's own message. */
function operatorHint(error: ApiError): string | undefined {
  if (error.status === 401) return 'The operator token was not accepted. Check SETTLE_ADMIN_TOKEN on the server.';
  if (error.code === 'sandbox_only') return 'The server runs with the real clock. Start it with SETTLE_CLOCK=manual to use the sandbox clock.';
  if (error.code === 'operator_api_disabled') return 'The operator API is off. Start the server with SETTLE_ADMIN_TOKEN set.';
  if (error.status === 403) return 'This token belongs to a user, not the operator.';
  return undefined;
}

function OperatorError({ error }: { error: ApiError }) {
  const hint = operatorHint(error);
  return (
    <div className="alert alert-error" role="alert">
      <p>{error.message}</p>
      {hint && <p>{hint}</p>}
    </div>
  );
}

export function OperatorPage() {
  const [token, setToken] = useOperatorToken();
  const serverClock = useResource('clock', () => api.get<Clock>('/v1/clock'));
  return (
    <OperatorFrame>
      <h1>Operator panel</h1>
      {serverClock.data?.mode === 'system' && (
        <p className="alert alert-info" role="note">
          This server runs on the real clock (SETTLE_CLOCK=system). The sandbox clock, and so this panel's clock controls, work only when the server is started with{' '}
          <code>SETTLE_CLOCK=manual</code>.
        </p>
      )}
      <TokenForm token={token} onToken={setToken} />
      {token && <SandboxClock token={token} onAdvanced={serverClock.reload} />}
      {token && <CreateAccountForm token={token} />}
      {token && <AssignArbitratorForm token={token} />}
    </OperatorFrame>
  );
}

function OperatorFrame({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Settle home">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          Settle
        </Link>
        <span className="muted">Operator</span>
        <div className="account">
          <Link to="/">Back to Settle</Link>
        </div>
      </header>
      <main id="main" className="operator">
        {children}
      </main>
    </div>
  );
}

function TokenForm({ token, onToken }: { token: string; onToken(t: string): void }) {
  const [typed, setTyped] = useState(token);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onToken(typed.trim());
  };
  return (
    <section className="card" aria-labelledby="token-heading">
      <h2 id="token-heading">Operator access</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Operator token"
          type="password"
          autoComplete="off"
          value={typed}
          onValue={setTyped}
          hint="The server's SETTLE_ADMIN_TOKEN. Kept in this tab only (sessionStorage) and forgotten when the tab closes."
        />
        <div className="button-row">
          <button type="submit" className="button button-primary">
            Use token
          </button>
          {token && (
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setTyped('');
                onToken('');
              }}
            >
              Forget token
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function SandboxClock({ token, onAdvanced }: { token: string; onAdvanced(): void }) {
  const { refreshClock } = useSession();
  const clock = useResource(`test-clock:${token}`, () => api.get<TestClock>('/v1/test_helpers/clock', { bearer: token }));
  const [applied, setApplied] = useState<number>();
  const advance = useAction();
  const [to, setTo] = useState('');
  const run = async (body: { seconds: number } | { to: string }) => {
    let result: TestClock | undefined;
    const ok = await advance.run(async (key) => {
      result = await api.post<TestClock>('/v1/test_helpers/clock/advance', body, { bearer: token, idempotencyKey: key });
    });
    if (ok && result) {
      setApplied(result.rules_applied ?? 0);
      clock.reload();
      onAdvanced();
      await refreshClock().catch(() => undefined);
    }
  };
  const submitTo = (event: FormEvent) => {
    event.preventDefault();
    // A datetime-local value ("2026-12-08T09:00" or with seconds), read as UTC.
    const value = to.trim();
    void run({ to: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value && !/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? `${value}Z` : value });
  };
  const zone = browserZone();
  return (
    <section className="card" aria-labelledby="clock-heading">
      <h2 id="clock-heading">Sandbox clock</h2>
      {clock.error && <OperatorError error={clock.error} />}
      {!clock.data && !clock.error && <Loading what="Reading the sandbox clock" />}
      {clock.data && !clock.error && (
        <dl className="facts" aria-label="Sandbox clock">
          <dt>Now (UTC)</dt>
          <dd>
            <output className="clock-now" aria-label="Sandbox time in UTC">
              {formatTime(clock.data.now, 'UTC', true)}
            </output>
          </dd>
          {zone !== 'UTC' && (
            <>
              <dt>Now ({zone}, this browser)</dt>
              <dd>
                <output aria-label="Sandbox time in this browser's zone">{formatTime(clock.data.now, zone, true)}</output>
              </dd>
            </>
          )}
        </dl>
      )}
      <div className="button-row operator-advance">
        <button type="button" className="button" disabled={advance.pending} onClick={() => void run({ seconds: 3600 })}>
          Advance 1 hour
        </button>
        <button type="button" className="button" disabled={advance.pending} onClick={() => void run({ seconds: 86_400 })}>
          Advance 1 day
        </button>
        <button type="button" className="button" disabled={advance.pending} onClick={() => void run({ seconds: 14 * 86_400 })}>
          Advance 14 days
        </button>
      </div>
      <form onSubmit={submitTo} noValidate className="operator-advance-to">
        <TextField
          label="Advance to (UTC)"
          type="datetime-local"
          step={1}
          value={to}
          onValue={setTo}
          hint="A moment after the sandbox clock, in UTC. Every deadline on the way fires, in order."
          error={errorFor(advance.error, 'to')}
        />
        <button type="submit" className="button button-primary" disabled={advance.pending || !to}>
          Advance to this time
        </button>
      </form>
      {advance.error && !errorFor(advance.error, 'to') && <OperatorError error={advance.error} />}
      {applied !== undefined && !advance.error && (
        <p className="alert alert-ok" role="status">
          Clock advanced; {applied} {applied === 1 ? 'rule' : 'rules'} applied on the way.
        </p>
      )}
    </section>
  );
}

function CreateAccountForm({ token }: { token: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'staff' | 'arbitrator'>('staff');
  const [made, setMade] = useState<User>();
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMade(undefined);
    let user: User | undefined;
    const ok = await action.run(async (key) => {
      user = await api.post<User>('/v1/admin/users', { name, email, password, role }, { bearer: token, idempotencyKey: key });
    });
    if (ok && user) {
      setMade(user);
      setName('');
      setEmail('');
      setPassword('');
    }
  };
  const fields = ['name', 'email', 'password', 'role'];
  return (
    <section className="card" aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">Create a staff or arbitrator account</h2>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <TextField label="Name" value={name} onValue={setName} autoComplete="off" error={errorFor(action.error, 'name')} />
          <TextField label="Email" type="email" value={email} onValue={setEmail} autoComplete="off" error={errorFor(action.error, 'email')} />
        </div>
        <div className="form-row">
          <TextField label="Password" type="password" value={password} onValue={setPassword} autoComplete="new-password" hint="At least 10 characters." error={errorFor(action.error, 'password')} />
          <SelectField label="Role" value={role} onValue={(v) => setRole(v as 'staff' | 'arbitrator')} options={['staff', 'arbitrator']} error={errorFor(action.error, 'role')} />
        </div>
        {action.error && !errorFor(action.error, ...fields) && <OperatorError error={action.error} />}
        {made && (
          <p className="alert alert-ok" role="status">
            Created {made.role} {made.name} ({made.email}), id <code>{made.id}</code>.
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={action.pending}>
          Create account
        </button>
      </form>
    </section>
  );
}

function AssignArbitratorForm({ token }: { token: string }) {
  const [disputeId, setDisputeId] = useState('');
  const [arbitratorId, setArbitratorId] = useState('');
  const [done, setDone] = useState<Dispute>();
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    let dispute: Dispute | undefined;
    const ok = await action.run(async (key) => {
      dispute = await api.post<Dispute>(`/v1/admin/disputes/${encodeURIComponent(disputeId.trim())}/arbitrator`, { arbitrator_id: arbitratorId.trim() }, { bearer: token, idempotencyKey: key });
    });
    if (ok && dispute) setDone(dispute);
  };
  return (
    <section className="card" aria-labelledby="assign-heading">
      <h2 id="assign-heading">Assign an arbitrator</h2>
      <p className="muted">For a dispute in arbitration: assigns, or reassigns, the arbitrator who gives the award.</p>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <TextField label="Dispute ID" value={disputeId} onValue={setDisputeId} placeholder="dsp_…" autoComplete="off" />
          <TextField label="Arbitrator's user ID" value={arbitratorId} onValue={setArbitratorId} placeholder="usr_…" autoComplete="off" error={errorFor(action.error, 'arbitrator_id')} />
        </div>
        {action.error && !errorFor(action.error, 'arbitrator_id') && <OperatorError error={action.error} />}
        {done && (
          <p className="alert alert-ok" role="status">
            {done.arbitration?.arbitrator ? `${done.arbitration.arbitrator.name} now arbitrates ${done.milestone_title} (${done.contract_title}).` : 'Saved.'}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={action.pending || !disputeId.trim() || !arbitratorId.trim()}>
          Assign arbitrator
        </button>
      </form>
    </section>
  );
}
