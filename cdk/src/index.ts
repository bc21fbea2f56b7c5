export * from './provider';
export * from './shares.generated';
export * from './rollout';
