// autocannon ships no types (and @types/autocannon is not installed): the part the benches use.
declare module 'autocannon' {
  interface Instance {
    on(event: 'tick', listener: (tick: { counter: number; bytes: number }) => void): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    stop(): void;
  }
  /** The result's fields are read (and typed) where it is used. */
  function autocannon(options: Record<string, unknown>, callback: (error: Error | null, result: never) => void): Instance;
  export default autocannon;
}
