// PLACEHOLDER: being built; replaced before this lands.
export function DisputePage({ id }: { id: string }) {
  return <section><h1>Dispute</h1><p>{id}</p></section>;
}
