// PLACEHOLDER: being built; replaced before this lands.
export function BalancePage() {
  return <section><h1>Balance</h1></section>;
}
