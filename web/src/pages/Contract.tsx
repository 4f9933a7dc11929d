// PLACEHOLDER: being built; replaced before this lands.
export function ContractPage({ id }: { id: string }) {
  return <section><h1>Contract</h1><p>{id}</p></section>;
}
