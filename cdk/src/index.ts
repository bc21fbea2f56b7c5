export * from './provider';
export * from './bundled-provider';
export * from './shares.generated';
export * from './registry.generated';
export * from './rollout';
