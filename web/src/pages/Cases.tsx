// PLACEHOLDER: being built; replaced before this lands.
export function CasesPage() {
  return <section><h1>Cases</h1></section>;
}
