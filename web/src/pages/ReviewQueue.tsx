// PLACEHOLDER: being built; replaced before this lands.
export function ReviewQueuePage() {
  return <section><h1>ReviewQueue</h1></section>;
}
