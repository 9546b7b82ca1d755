/** The Istio eras kubetutor tells apart (what each means: src/cluster/era.ts). A leaf: a name, no behaviour. */
export type IstioEraName = '1.0' | '1.1' | 'modern';

export const ISTIO_ERA_NAMES: readonly IstioEraName[] = ['1.0', '1.1', 'modern'];
