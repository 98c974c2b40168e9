import { component } from '../platform/component-descriptor';
import type { PlatformSettings } from '../platform/platform-settings';
import { BaselineChart } from './baseline-chart';
import { namespaceSection, type NamespaceSettings } from './config';
import { containersWithinLimitRange } from './limit-range-checks';

export { BaselineChart } from './baseline-chart';
export type { NamespaceSettings } from './config';

/** What the baseline reads: its namespace section. */
type BaselineReads = PlatformSettings & { readonly namespace: NamespaceSettings };

/** The namespace every object of an environment lives in, and its guard rails (`00-baseline`). */
export const baseline = component<BaselineReads>()({
  id: 'baseline',
  title: 'Namespace baseline',
  config: { namespace: namespaceSection },
  checks: [containersWithinLimitRange],
  ownFields: [
    { path: ['namespace', 'name'], why: "each environment has a namespace of its own; an inherited one is another environment's" },
  ],
  build: (context) => new BaselineChart(context.scope, context.environment),
});
