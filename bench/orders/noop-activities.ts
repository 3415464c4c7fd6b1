export function createNoopActivities() {
  return {
    async step(_name: string): Promise<void> {
      return undefined;
    },
  };
}
