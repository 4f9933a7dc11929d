// New contract (/contracts/new): any member offers a contract to a freelancer
// by email, with one or more milestones. Amounts are typed as money in the
// chosen currency and sent as minor units; the API's errors appear under the
// field they name (`milestones[1].amount` under the second Amount).

import { useState, type FormEvent } from 'react';
import { CURRENCIES, MINOR_UNIT_DIGITS, type Currency } from '../../../src/domain/money.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { FormError, MoneyField, SelectField, TextArea, TextField, errorFor } from '../components/Form.tsx';
import { PageHeader } from '../components/ui.tsx';
import { api } from '../lib/api.ts';
import { parseMoney } from '../lib/format.ts';
import { useAction } from '../lib/hooks.ts';
import { Link, useRouter } from '../lib/router.tsx';
import type { Contract } from '../lib/types.ts';

interface MilestoneDraft {
  key: number;
  title: string;
  amount: string;
  due_date: string;
}

const FIELDS = ['title', 'amount', 'due_date'] as const;

let nextKey = 1;
const blankMilestone = (): MilestoneDraft => ({ key: nextKey++, title: '', amount: '', due_date: '' });

function amountHint(currency: Currency): string {
  return MINOR_UNIT_DIGITS[currency] === 0 ? 'Whole amounts only, such as 50000.' : `Such as 1,250.00 (at most ${MINOR_UNIT_DIGITS[currency]} decimals).`;
}

export function NewContractPage() {
  const { navigate } = useRouter();
  const action = useAction();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  const [currency, setCurrency] = useState<Currency>('usd');
  const [milestones, setMilestones] = useState<MilestoneDraft[]>(() => [blankMilestone()]);
  const [amountErrors, setAmountErrors] = useState<Record<number, string>>({});

  const update = (key: number, change: Partial<MilestoneDraft>) => setMilestones((list) => list.map((m) => (m.key === key ? { ...m, ...change } : m)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Text that is not an amount never leaves the page; anything that parses goes to the API, whose rules decide.
    const parsed = milestones.map((m) => parseMoney(m.amount, currency));
    const local: Record<number, string> = {};
    parsed.forEach((amount, i) => {
      if (amount === null) local[milestones[i]!.key] = `Enter an amount in ${currency.toUpperCase()}. ${amountHint(currency)}`;
    });
    setAmountErrors(local);
    if (Object.keys(local).length) return;
    const body = {
      title,
      ...(description.trim() ? { description } : {}),
      freelancer_email: email,
      currency,
      milestones: milestones.map((m, i) => ({ title: m.title, amount: parsed[i]!, ...(m.due_date ? { due_date: m.due_date } : {}) })),
    };
    let created: Contract | undefined;
    const ok = await action.run(async (key) => {
      created = await api.post<Contract>('/v1/contracts', body, { idempotencyKey: key });
    });
    if (ok && created) navigate(`/contracts/${created.id}`);
  };

  const milestoneParams = milestones.flatMap((_, i) => FIELDS.map((f) => `milestones[${i}].${f}`));
  return (
    <div className="new-contract-page">
      <PageHeader title="New contract" eyebrow={<Link to="/contracts">All Contracts</Link>} />
      <form className="card" onSubmit={submit} noValidate aria-label="New contract">
        <p className="hint">You are the client: the freelancer gets your offer and accepts it; then you fund each milestone into escrow before work on it starts.</p>
        <TextField label="Title" value={title} onValue={setTitle} maxLength={LIMITS.title_max_chars} error={errorFor(action.error, 'title')} />
        <TextArea label="Description (optional)" value={description} onValue={setDescription} maxLength={LIMITS.contract_description_max_chars} error={errorFor(action.error, 'description')} />
        <div className="form-row">
          <TextField label="Freelancer's email" type="email" autoComplete="off" value={email} onValue={setEmail} error={errorFor(action.error, 'freelancer_email')} />
          <SelectField
            label="Currency"
            value={currency}
            options={CURRENCIES.map((c) => ({ value: c, label: c.toUpperCase() }))}
            onValue={(c) => setCurrency(c as Currency)}
            error={errorFor(action.error, 'currency')}
          />
        </div>
        {milestones.map((m, i) => (
          <fieldset key={m.key} className="milestone-draft">
            <legend>Milestone {i + 1}</legend>
            <div className="form-row">
              <TextField label="Milestone title" value={m.title} onValue={(v) => update(m.key, { title: v })} maxLength={LIMITS.title_max_chars} error={errorFor(action.error, `milestones[${i}].title`)} />
              <MoneyField
                label="Amount"
                currency={currency}
                value={m.amount}
                onValue={(v) => update(m.key, { amount: v })}
                error={amountErrors[m.key] ?? errorFor(action.error, `milestones[${i}].amount`)}
              />
              <TextField label="Due date (optional)" type="date" value={m.due_date} onValue={(v) => update(m.key, { due_date: v })} error={errorFor(action.error, `milestones[${i}].due_date`)} />
            </div>
            {milestones.length > 1 && (
              <button type="button" className="button button-quiet button-small" onClick={() => {
                  action.clear();
                  setMilestones((list) => list.filter((x) => x.key !== m.key));
                }}>
                Remove milestone {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        {milestones.length < LIMITS.milestones_per_contract_max && (
          <p>
            <button type="button" className="button" onClick={() => setMilestones((list) => [...list, blankMilestone()])}>
              Add milestone
            </button>
          </p>
        )}
        <FormError error={action.error} fields={['title', 'description', 'freelancer_email', 'currency', ...milestoneParams]} />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={action.pending}>
            {action.pending ? 'Sending…' : 'Send offer'}
          </button>
          <Link to="/contracts" className="button button-quiet">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
