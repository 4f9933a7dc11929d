// PLACEHOLDER: being built; replaced before this lands.
export function ContractsPage() {
  return <section><h1>Contracts</h1></section>;
}
