export interface TestStack {
  dataDir: string;
  stop(): Promise<void>;
}
