// Report fixtures are imported as text through Vite's `?raw` suffix (workerd has no host file system).
declare module "*?raw" {
  const content: string;
  export default content;
}
