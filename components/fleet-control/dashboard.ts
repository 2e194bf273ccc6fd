import { PREDICTED_REPLICAS_METRIC } from "../../functions/contract";

export interface DashboardEndpoint {
  name: string;
  queueName: string;
}

export interface DashboardPool {
  name: string;
  asgNames: string[];
}

type Widget = Record<string, unknown>;

const WIDTH = 6;
const HEIGHT = 6;

function metricWidget(
  title: string,
  region: string,
  metrics: unknown[],
  x: number,
  y: number,
  extra: object = {},
): Widget {
  return {
    type: "metric",
    x,
    y,
    width: WIDTH,
    height: HEIGHT,
    properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
  };
}

/**
 * The fleet dashboard body: one row per endpoint (arrivals, backlog, oldest message age,
 * predicted vs. actual replicas), then one widget per pool (desired vs. in-service nodes).
 * Actual replicas come from Container Insights (service_number_of_running_pods), found with
 * a SEARCH so the Kubernetes namespace need not be known here; without Container Insights
 * that line stays empty. Pool capacity needs Auto Scaling group metrics collection enabled.
 */
export function dashboardBody(
  clusterName: string,
  region: string,
  endpoints: readonly DashboardEndpoint[],
  pools: readonly DashboardPool[],
): string {
  const widgets: Widget[] = [];
  endpoints.forEach((e, row) => {
    const y = row * HEIGHT;
    const queue = ["AWS/SQS"];
    widgets.push(
      metricWidget(
        `${e.name}: arrivals per minute`,
        region,
        [[...queue, "NumberOfMessagesSent", "QueueName", e.queueName, { stat: "Sum" }]],
        0,
        y,
      ),
      metricWidget(
        `${e.name}: backlog`,
        region,
        [
          [
            ...queue,
            "ApproximateNumberOfMessagesVisible",
            "QueueName",
            e.queueName,
            { stat: "Maximum", label: "visible" },
          ],
          [".", "ApproximateNumberOfMessagesNotVisible", ".", ".", { stat: "Maximum", label: "in flight" }],
        ],
        WIDTH,
        y,
      ),
      metricWidget(
        `${e.name}: oldest message age (s)`,
        region,
        [[...queue, "ApproximateAgeOfOldestMessage", "QueueName", e.queueName, { stat: "Maximum" }]],
        2 * WIDTH,
        y,
      ),
      metricWidget(
        `${e.name}: predicted vs. actual replicas`,
        region,
        [
          [
            PREDICTED_REPLICAS_METRIC.namespace,
            PREDICTED_REPLICAS_METRIC.metricName,
            PREDICTED_REPLICAS_METRIC.dimensionName,
            e.name,
            { stat: "Maximum", label: "predicted" },
          ],
          [
            {
              expression: `SEARCH('{ContainerInsights,ClusterName,Namespace,Service} MetricName="service_number_of_running_pods" ClusterName="${clusterName}" Service="${e.name}"', 'Average', 60)`,
              label: "running",
              id: `actual${row}`,
            },
          ],
        ],
        3 * WIDTH,
        y,
      ),
    );
  });
  const poolsY = endpoints.length * HEIGHT;
  pools.forEach((p, i) => {
    const metrics = p.asgNames.flatMap((asg) => [
      [
        "AWS/AutoScaling",
        "GroupDesiredCapacity",
        "AutoScalingGroupName",
        asg,
        { stat: "Maximum", label: `${asg} desired` },
      ],
      [".", "GroupInServiceInstances", ".", ".", { stat: "Maximum", label: `${asg} in service` }],
    ]);
    widgets.push(
      metricWidget(`pool ${p.name}: nodes`, region, metrics, (i % 4) * WIDTH, poolsY + Math.floor(i / 4) * HEIGHT),
    );
  });
  return JSON.stringify({ widgets });
}
