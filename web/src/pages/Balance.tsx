// The balance page: what a member has (available, pending in the 5-day
// security hold, in escrow) per currency, paying out available money, and the
// statement of every movement on their own balances.

import { useState, type FormEvent } from 'react';
import { errorFor, FormError, MoneyField, SelectField } from '../components/Form.tsx';
import { Empty, ErrorState, Loading, Money, PageHeader, Stat, Time } from '../components/ui.tsx';
import { api, query, type ApiError } from '../lib/api.ts';
import { formatMoney, humanize, parseMoney } from '../lib/format.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import type { AmountEntry, Balance, BalanceTransaction, Currency, List, Payout } from '../lib/types.ts';

const amountIn = (list: AmountEntry[], currency: Currency): number => list.find((e) => e.currency === currency)?.amount ?? 0;

/** Every currency the member has any money in, in a stable order. */
function currenciesOf(balance: Balance): Currency[] {
  const seen = new Set<Currency>();
  for (const e of [...balance.available, ...balance.pending, ...balance.in_escrow]) seen.add(e.currency);
  return [...seen].sort();
}

export function BalancePage() {
  const balance = useResource('balance', () => api.get<Balance>('/v1/balance'));
  const payouts = useResource('payouts', () => api.get<List<Payout>>('/v1/payouts?limit=20'));
  const [statementVersion, setStatementVersion] = useState(0);
  const afterPayout = () => {
    balance.reload();
    payouts.reload();
    setStatementVersion((v) => v + 1);
  };
  return (
    <>
      <PageHeader title="Balance" eyebrow="Money" />
      {balance.error && <ErrorState error={balance.error} />}
      {!balance.data && !balance.error && <Loading what="Loading your balance" />}
      {balance.data && <BalanceStats balance={balance.data} />}
      {balance.data && <PayoutForm balance={balance.data} onPaid={afterPayout} />}
      <section aria-labelledby="payouts-heading">
        <h2 id="payouts-heading">Payouts</h2>
        {payouts.error && <ErrorState error={payouts.error} />}
        {payouts.data && <PayoutTable payouts={payouts.data.data} />}
      </section>
      <Statement key={statementVersion} />
    </>
  );
}

function BalanceStats({ balance }: { balance: Balance }) {
  const currencies = currenciesOf(balance);
  if (currencies.length === 0) return <Empty>No money yet. Released payments appear here, first as pending, then available.</Empty>;
  return (
    <>
      {currencies.map((currency) => (
        <section key={currency} className="balance-currency" aria-label={`Balance in ${currency.toUpperCase()}`}>
          {currencies.length > 1 && <h2>{currency.toUpperCase()}</h2>}
          <div className="grid grid-3">
            <Stat label="Available" note="Yours to pay out or to fund work.">
              <Money amount={amountIn(balance.available, currency)} currency={currency} />
            </Stat>
            <Stat label="Pending" note="Released money is held for 5 days (security hold), then becomes available.">
              <Money amount={amountIn(balance.pending, currency)} currency={currency} />
            </Stat>
            <Stat label="In escrow" note="Funded milestones on your contracts, not yet released or refunded.">
              <Money amount={amountIn(balance.in_escrow, currency)} currency={currency} />
            </Stat>
          </div>
        </section>
      ))}
    </>
  );
}

/** The API's "does not cover" answer, told as the person's own numbers. */
function amountError(error: ApiError | undefined, available: number, currency: Currency): string | undefined {
  if (error?.code === 'insufficient_balance') return `More than your available balance (${formatMoney(available, currency)}).`;
  return errorFor(error, 'amount');
}

function PayoutForm({ balance, onPaid }: { balance: Balance; onPaid(): void }) {
  const payable = balance.available.filter((e) => e.amount > 0).map((e) => e.currency);
  const [chosen, setChosen] = useState<Currency | ''>('');
  const currency: Currency | undefined = chosen && payable.includes(chosen) ? chosen : payable[0];
  const [amount, setAmount] = useState('');
  const [localError, setLocalError] = useState<string>();
  const [paid, setPaid] = useState<Payout>();
  const action = useAction();
  if (!currency) {
    return (
      <section className="card" aria-labelledby="payout-heading">
        <h2 id="payout-heading">Pay out</h2>
        <p className="muted">Nothing available to pay out yet.</p>
      </section>
    );
  }
  const available = amountIn(balance.available, currency);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPaid(undefined);
    const minor = parseMoney(amount, currency);
    if (minor === null || minor <= 0) {
      action.clear();
      setLocalError('Enter an amount, such as 250.00.');
      return;
    }
    setLocalError(undefined);
    let payout: Payout | undefined;
    const ok = await action.run(async (key) => {
      payout = await api.post<Payout>('/v1/payouts', { amount: minor, currency }, { idempotencyKey: key });
    });
    if (ok) {
      setPaid(payout);
      setAmount('');
      onPaid();
    }
  };
  const amountMessage = localError ?? amountError(action.error, available, currency);
  return (
    <section className="card" aria-labelledby="payout-heading">
      <h2 id="payout-heading">Pay out</h2>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <MoneyField
            label="Amount"
            currency={currency}
            value={amount}
            onValue={setAmount}
            hint={`Available: ${formatMoney(available, currency)}`}
            error={amountMessage}
          />
          <SelectField
            label="Currency"
            value={currency}
            onValue={(v) => setChosen(v as Currency)}
            options={payable.map((c) => ({ value: c, label: c.toUpperCase() }))}
            error={errorFor(action.error, 'currency')}
          />
        </div>
        {action.error?.code !== 'insufficient_balance' && <FormError error={action.error} fields={['amount', 'currency']} />}
        {paid && (
          <p className="alert alert-ok" role="status">
            Paid out {formatMoney(paid.amount, paid.currency)} to your bank account.
          </p>
        )}
        <button className="button button-primary" type="submit" disabled={action.pending}>
          {action.pending ? 'Paying out…' : 'Pay out'}
        </button>
      </form>
    </section>
  );
}

function PayoutTable({ payouts }: { payouts: Payout[] }) {
  if (payouts.length === 0) return <Empty>No payouts yet.</Empty>;
  return (
    <div className="table-wrap">
      <table aria-label="Payouts">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {payouts.map((p) => (
            <tr key={p.id}>
              <td>
                <Time at={p.created_at} />
              </td>
              <td>{humanize(p.status)}</td>
              <td className="num">
                <Money amount={p.amount} currency={p.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATEMENT_PAGE = 25;

/** The statement, newest first, a page at a time ("Load more"). */
function Statement() {
  const [rows, setRows] = useState<BalanceTransaction[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const more = useAction();
  const first = useResource('transactions', async () => {
    const page = await api.get<List<BalanceTransaction>>(`/v1/balance/transactions${query({ limit: STATEMENT_PAGE })}`);
    setRows(page.data);
    setHasMore(page.has_more);
    return page;
  });
  const loadMore = () =>
    void more.run(async () => {
      const page = await api.get<List<BalanceTransaction>>(`/v1/balance/transactions${query({ limit: STATEMENT_PAGE, starting_after: rows.at(-1)?.id })}`);
      setRows((old) => [...old, ...page.data]);
      setHasMore(page.has_more);
    });
  return (
    <section aria-labelledby="transactions-heading">
      <h2 id="transactions-heading">Transactions</h2>
      {first.error && <ErrorState error={first.error} />}
      {first.loading && !first.data && <Loading what="Loading transactions" />}
      {first.data && rows.length === 0 && <Empty>No transactions yet.</Empty>}
      {rows.length > 0 && <TransactionTable rows={rows} />}
      {more.error && <ErrorState error={more.error} />}
      {hasMore && (
        <button type="button" className="button" onClick={loadMore} disabled={more.pending}>
          {more.pending ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

function TransactionTable({ rows }: { rows: BalanceTransaction[] }) {
  return (
    <div className="table-wrap">
      <table aria-label="Transactions">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Description</th>
            <th scope="col">Type</th>
            <th scope="col">Balance</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="num">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id}>
              <td>
                <Time at={t.created_at} />
              </td>
              <td>{t.description}</td>
              <td>{humanize(t.type)}</td>
              <td>{humanize(t.balance_type)}</td>
              <td className={`num ${t.amount < 0 ? 'amount-out' : 'amount-in'}`}>
                {t.amount > 0 ? '+' : t.amount < 0 ? '−' : ''}
                <Money amount={Math.abs(t.amount)} currency={t.currency} />
              </td>
              <td className="num">
                <Money amount={t.balance_after} currency={t.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
