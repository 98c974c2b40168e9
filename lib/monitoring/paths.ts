/** Where Prometheus's config and rule ConfigMaps are mounted (whole directories: subPath never updates). */
export const PROMETHEUS_CONFIG_DIR = '/etc/prometheus/config';
export const PROMETHEUS_RULES_DIR = '/etc/prometheus/rules';
