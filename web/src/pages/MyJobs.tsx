// PLACEHOLDER: being built; replaced before this lands.
export function MyJobsPage() {
  return <section><h1>MyJobs</h1></section>;
}
