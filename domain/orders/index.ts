export * from './order';
export * from './ids';
export * from './status';
