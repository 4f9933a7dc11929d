// PLACEHOLDER: being built; replaced before this lands.
export function OperatorPage() {
  return <section><h1>Operator</h1></section>;
}
