const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Prometheus counters for the gateway, rendered in the text exposition format. */
export interface GatewayMetrics {
  observeRequest(
    labels: { endpoint: string; status: number; action: string; reason: string },
    seconds: number,
  ): void;
  observeDecision(kind: 'account' | 'campaign', action: string): void;
  render(gauges: Record<string, number>): string;
  /** Adds gauges read at each render (the fleet publisher's counters). */
  addGauges(source: () => Record<string, number>): void;
}

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createGatewayMetrics(): GatewayMetrics {
  const requests = new Map<string, number>();
  const decisions = new Map<string, number>();
  const histogram = new Array<number>(BUCKETS.length).fill(0);
  let sum = 0;
  let count = 0;
  const sources: (() => Record<string, number>)[] = [];
  return {
    addGauges(source) {
      sources.push(source);
    },
    observeRequest({ endpoint, status, action, reason }, seconds) {
      const key = `endpoint="${escapeLabel(endpoint)}",status="${status}",action="${action}",reason="${escapeLabel(reason)}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      for (let index = 0; index < BUCKETS.length; index += 1) {
        if (seconds <= (BUCKETS[index] ?? 0)) histogram[index] = (histogram[index] ?? 0) + 1;
      }
      sum += seconds;
      count += 1;
    },
    observeDecision(kind, action) {
      const key = `kind="${kind}",action="${action}"`;
      decisions.set(key, (decisions.get(key) ?? 0) + 1);
    },
    render(gauges) {
      const lines = [
        '# HELP distillguard_gateway_requests_total Requests handled, by endpoint, status, ladder action and reason.',
        '# TYPE distillguard_gateway_requests_total counter',
      ];
      for (const [labels, value] of requests)
        lines.push(`distillguard_gateway_requests_total{${labels}} ${value}`);
      lines.push(
        '# HELP distillguard_gateway_decisions_total Engine decisions attached, by subject kind and action.',
        '# TYPE distillguard_gateway_decisions_total counter',
      );
      for (const [labels, value] of decisions)
        lines.push(`distillguard_gateway_decisions_total{${labels}} ${value}`);
      lines.push(
        '# HELP distillguard_gateway_request_duration_seconds Time from request to the end of the response.',
        '# TYPE distillguard_gateway_request_duration_seconds histogram',
      );
      BUCKETS.forEach((bound, index) => {
        lines.push(
          `distillguard_gateway_request_duration_seconds_bucket{le="${bound}"} ${histogram[index] ?? 0}`,
        );
      });
      lines.push(`distillguard_gateway_request_duration_seconds_bucket{le="+Inf"} ${count}`);
      lines.push(`distillguard_gateway_request_duration_seconds_sum ${sum}`);
      lines.push(`distillguard_gateway_request_duration_seconds_count ${count}`);
      const all = Object.assign({}, gauges, ...sources.map((source) => source()));
      for (const [name, value] of Object.entries(all)) {
        lines.push(
          `# TYPE distillguard_gateway_${name} gauge`,
          `distillguard_gateway_${name} ${value}`,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
