// The devices a render can ask for, in one list: the contract validates against it, the CLI offers
// it, and the engine maps each to the ONNX Runtime providers it tries.

/** ONNX Runtime execution providers the engine knows. */
export const PROVIDER_NAMES = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** What a user may choose: `auto` (the best provider this machine has) or one provider. */
export const DEVICE_CHOICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];
