import { z } from 'zod';
import {
  byteQuantity,
  dnsLabel,
  duration,
  flag,
  imageConfig,
  oneOf,
  portNumber,
  resourcesConfig,
  section,
  text,
  wholeNumber,
} from '../config/fields';
import { SEVERITIES } from '../platform/monitoring-contribution';

/** Severity of an alert; also what Alertmanager routes on. `none` is for the Watchdog heartbeat. */
export const alertSeverity = oneOf(SEVERITIES);

/**
 * A change to one shipped alert, keyed by its name. Anything left out keeps the shipped value.
 * Unknown alert names are an error (see lib/monitoring/monitoring-checks.ts).
 */
export const alertOverride = section({
  /**
   * Switch the alert off.
   * @default true
   */
  enabled: flag.optional(),
  /** New threshold, only for alerts that have one (the README's alert table lists them). */
  threshold: z.number({ error: 'a number' }).optional(),
  /** How long the condition must hold before the alert fires. */
  for: duration.optional(),
  /** New severity. */
  severity: alertSeverity.optional(),
});
export type AlertOverride = z.infer<typeof alertOverride>;

/** Where a monitoring component may open connections outside the namespace. */
export const egressTarget = section({
  /** Addresses, e.g. `0.0.0.0/0` or the API server's address `10.0.0.1/32`. */
  cidr: z.string({ error: 'a CIDR such as "10.0.0.0/8"' }).regex(/^[0-9.]+\/[0-9]{1,2}$/, { error: 'an IPv4 CIDR such as "10.0.0.0/8"' }),
  /** TCP ports. */
  ports: z.array(portNumber, { error: 'a list of port numbers' }).min(1, { error: 'at least one port' }),
});

/** One Alertmanager receiver: exactly one of webhook, slack or email. Secrets are credential ids. */
export const alertReceiver = section({
  /** Receiver name, used by `routing`. */
  name: dnsLabel,
  /** Generic webhook; its URL is read from a file (`url_file`). */
  webhook: section({
    /** Credential id (security.credentials) holding the URL. */
    urlCredential: dnsLabel,
    /**
     * Tell the receiver when alerts resolve.
     * @default true
     */
    sendResolved: flag.optional(),
  }).optional(),
  /** Slack incoming webhook; the URL is read from a file (`api_url_file`). */
  slack: section({
    /** Credential id holding the incoming-webhook URL. */
    urlCredential: dnsLabel,
    /** Channel, e.g. `#suoke-alerts`. */
    channel: text,
    /**
     * Tell the channel when alerts resolve.
     * @default true
     */
    sendResolved: flag.optional(),
  }).optional(),
  /** E-mail through an SMTP relay; the password is read from a file (`auth_password_file`). */
  email: section({
    /** Recipient address. */
    to: text,
    /** Sender address. */
    from: text,
    /** SMTP relay `host:port`. */
    smarthost: z
      .string({ error: 'an SMTP relay "host:port"' })
      .regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, { error: 'an SMTP relay "host:port"' }),
    /** SMTP user. */
    authUsername: text,
    /** Credential id holding the SMTP password. */
    passwordCredential: dnsLabel,
  }).optional(),
});
export type AlertReceiverConfig = z.infer<typeof alertReceiver>;

/** How the platform is monitored: its own stack, or the prometheus-operator stack a team already runs. */
export const MONITORING_MODES = ['bundled', 'operator'] as const;
export type MonitoringMode = (typeof MONITORING_MODES)[number];

/** Kubernetes labels (`release: kube-prometheus-stack`): label names to values. */
const labelMap = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, { error: 'a label name' }),
  z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, { error: 'a label value' }),
  { error: 'a map of label name to label value' },
);

/** A label or annotation: its name and the value to set. */
const namedValue = section({
  /** Label or annotation name. */
  name: text,
  /** Value. */
  value: z.string({ error: 'a string' }),
});

/**
 * Operator mode: what the team's prometheus-operator stack (kube-prometheus-stack, say) selects on.
 * Find the values with `kubectl get prometheus,alertmanager -A -o yaml` (docs/monitoring.md).
 */
export const operatorSection = section({
  prometheus: section({
    /**
     * Labels the Prometheus object's `serviceMonitorSelector`, `podMonitorSelector` and
     * `ruleSelector` match; set on every PodMonitor and PrometheusRule.
     */
    selectorLabels: labelMap,
    /** Namespace the team's Prometheus pods run in: the only namespace whose pods may scrape the metrics ports. */
    namespace: dnsLabel,
    /**
     * Labels of the Prometheus pods in that namespace, to narrow the NetworkPolicies further.
     * @default - every pod of that namespace
     */
    podLabels: labelMap.optional(),
  }),
  alertmanager: section({
    /** Labels the Alertmanager object's `alertmanagerConfigSelector` matches; set on the AlertmanagerConfig. */
    selectorLabels: labelMap,
  }),
  grafana: section({
    /** The label the Grafana dashboards sidecar selects ConfigMaps by (`sidecar.dashboards.label` / `labelValue`). */
    dashboardLabel: namedValue,
    /**
     * The annotation that puts a dashboard in a folder (`sidecar.dashboards.folderAnnotation`); used by
     * Grafana only with `provider.foldersFromFilesStructure: true`.
     */
    folderAnnotation: namedValue,
    /** Uid of the Prometheus datasource the dashboards query (`sidecar.datasources.uid`). */
    datasourceUid: dnsLabel,
  }),
});
export type OperatorSettings = z.infer<typeof operatorSection>;

/** Prometheus, Alertmanager, Grafana and what they watch. */
export const monitoringSection = section({
  /**
   * `bundled` runs Prometheus, Alertmanager and Grafana in the namespace; `operator` runs none of
   * them and renders PodMonitors, PrometheusRules, dashboard ConfigMaps and an AlertmanagerConfig for
   * the team's prometheus-operator stack (`operator` settings). base.yaml sets `bundled`.
   */
  mode: oneOf(MONITORING_MODES),
  /** What the team's stack selects on, read in `operator` mode only. */
  operator: operatorSection,
  /** Sidecar that reloads Prometheus and Alertmanager when their ConfigMaps change. */
  configReloader: section({ image: imageConfig, resources: resourcesConfig }),
  /** Where the Kubernetes API server is, for service discovery and kube-state-metrics. */
  apiServer: egressTarget,
  prometheus: section({
    image: imageConfig,
    resources: resourcesConfig,
    /** How often targets are scraped. */
    scrapeInterval: duration,
    /** How often rules are evaluated. */
    evaluationInterval: duration,
    /** How long samples are kept (`--storage.tsdb.retention.time`). */
    retention: duration,
    /** TSDB storage. Without `persistent` it is an emptyDir of `size` and is lost with the pod. */
    storage: section({
      /** Back the TSDB with a PersistentVolumeClaim. */
      persistent: flag,
      /** Size of the volume; retention by size is set to 85% of it. */
      size: byteQuantity,
      /**
       * StorageClass of the claim.
       * @default - the cluster's default StorageClass
       */
      storageClassName: dnsLabel.optional(),
    }),
    /** A namespaced kube-state-metrics, for restarts, crash loops and replica counts. */
    kubeStateMetrics: section({ enabled: flag, image: imageConfig, resources: resourcesConfig }),
    /**
     * Container CPU, memory and network from the kubelets' cAdvisor. Needs a ClusterRole (node
     * discovery and `nodes/metrics`) and egress to the kubelets.
     */
    cadvisor: section({ enabled: flag, kubelets: egressTarget }),
  }),
  alertmanager: section({
    image: imageConfig,
    resources: resourcesConfig,
    /** Pods; more than one forms a gossip cluster (prod runs 3). */
    replicas: wholeNumber(1, 5),
    /** Where receivers are reached (HTTPS, SMTP). */
    egress: egressTarget,
    /** Receivers. */
    receivers: z.array(alertReceiver, { error: 'a list of receivers' }).min(1, { error: 'at least one receiver' }),
    /** Which receiver gets what. Every name must be a receiver above, or `blackhole` (drops alerts). */
    routing: section({
      /** Anything no other route takes. */
      default: dnsLabel,
      /** Critical alerts, whatever their component (they also reach their component's receiver). */
      critical: dnsLabel,
      /**
       * The always-firing Watchdog: a heartbeat receiver (a dead-man's-switch service, as a
       * webhook) that raises the alarm when the heartbeats stop, or `blackhole`. Production
       * requires a webhook receiver that gets nothing else.
       */
      watchdog: dnsLabel,
      /**
       * How often the watchdog receiver hears the heartbeat: the Watchdog route's group_interval
       * and repeat_interval. Set the heartbeat service's period to this, with some grace.
       */
      watchdogInterval: duration,
      /** Warnings and infos by the alert's `component` label. */
      byComponent: z.record(dnsLabel, dnsLabel, { error: 'a map of component to receiver name' }),
      /** Wait before the first notification of a group. */
      groupWait: duration,
      /** Wait before notifying about new alerts of a group. */
      groupInterval: duration,
      /** Resend a still-firing notification after. */
      repeatInterval: duration,
    }),
  }),
  grafana: section({
    image: imageConfig,
    resources: resourcesConfig,
    /**
     * Public URL, when Grafana is exposed.
     * @default - Grafana's own default (reached through port-forward)
     */
    rootUrl: text.optional(),
    /**
     * Namespaces (by `kubernetes.io/metadata.name`) allowed to reach Grafana, e.g. the ingress controller's.
     * @default - none: reach it with kubectl port-forward
     */
    allowFromNamespaces: z.array(dnsLabel, { error: 'a list of namespace names' }).optional(),
  }),
  /** Changes to shipped alerts, by alert name. */
  alerts: section({ overrides: z.record(z.string(), alertOverride, { error: 'a map of alert name to override' }) }),
});
export type MonitoringSettings = z.infer<typeof monitoringSection>;
