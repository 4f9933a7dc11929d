// PLACEHOLDER: being built; replaced before this lands.
export function NewContractPage() {
  return <section><h1>NewContract</h1></section>;
}
