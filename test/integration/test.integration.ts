import { describePlatform, SCENARIOS } from './platform-scenarios';

// The test environment: its Prometheus config and rules in the real Prometheus, and the coverage
// of every alert and panel by its scrape jobs. The other scenarios run in dev and prod, whose
// topology test shares (in-cluster database like dev, kube-state-metrics like prod).
describePlatform('test', { only: [SCENARIOS.coverage] });
