package alarms

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/outputs"
	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Alarms"

// DMSTaskStateChange is the EventBridge detail-type of DMS task state
// changes.
const DMSTaskStateChange = "DMS Replication Task State Change"

// Alarms is the topic and the alarms that publish to it.
type Alarms struct {
	pulumi.ResourceState

	TopicARN pulumi.StringOutput
	// USEast1TopicARN receives the alarms on global resources; empty when
	// there are none.
	USEast1TopicARN pulumi.StringOutput
	// AlarmARNs maps each alarm's key ("public-elb-5xx", "db-cpu",
	// "cache-2-evictions", ...) to its ARN; Keys lists the keys sorted.
	AlarmARNs map[string]pulumi.StringOutput
	Keys      []string
}

// alarm is one metric alarm to create.
type alarm struct {
	key         string
	description string
	namespace   string
	metric      string
	dimensions  pulumi.StringMap
	statistic   string
	period      int
	evaluations int
	datapoints  int
	threshold   float64
	comparison  string
	missing     string
	global      bool
}

const (
	greater   = "GreaterThanThreshold"
	greaterEq = "GreaterThanOrEqualToThreshold"
	less      = "LessThanThreshold"
)

// plan lists the alarms for args, in a fixed order.
func plan(a AlarmsArgs) []alarm {
	t := a.Thresholds
	var out []alarm
	for _, lb := range a.LoadBalancers {
		lbDim := pulumi.StringMap{"LoadBalancer": lb.ARNSuffix}
		tgDim := pulumi.StringMap{"LoadBalancer": lb.ARNSuffix, "TargetGroup": lb.TargetGroupARNSuffix}
		out = append(out,
			alarm{key: lb.Label + "-elb-5xx", description: "the " + lb.Label + " load balancer itself answers 5xx (no healthy target, or it is overloaded)",
				namespace: "AWS/ApplicationELB", metric: "HTTPCode_ELB_5XX_Count", dimensions: lbDim, statistic: "Sum",
				period: 60, evaluations: 5, datapoints: 3, threshold: t.ELB5xxPerMinute, comparison: greater, missing: "notBreaching"},
			alarm{key: lb.Label + "-target-5xx", description: "the " + lb.Label + " load balancer's targets answer 5xx",
				namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dimensions: tgDim, statistic: "Sum",
				period: 60, evaluations: 5, datapoints: 3, threshold: t.Target5xxPerMinute, comparison: greater, missing: "notBreaching"},
			alarm{key: lb.Label + "-unhealthy-hosts", description: "a target of the " + lb.Label + " load balancer fails its health check",
				namespace: "AWS/ApplicationELB", metric: "UnHealthyHostCount", dimensions: tgDim, statistic: "Maximum",
				period: 60, evaluations: 3, datapoints: 2, threshold: 1, comparison: greaterEq, missing: "notBreaching"},
		)
	}
	for _, g := range a.AutoScalingGroups {
		out = append(out, alarm{key: g.Label + "-in-service", description: fmt.Sprintf("fewer than %d %s instances in service", g.MinInService, g.Label),
			namespace: "AWS/AutoScaling", metric: "GroupInServiceInstances", dimensions: pulumi.StringMap{"AutoScalingGroupName": g.Name},
			statistic: "Minimum", period: 60, evaluations: 5, datapoints: 5, threshold: float64(g.MinInService), comparison: less,
			// No data means the group or its metrics collection is gone:
			// that is worth a look too.
			missing: "breaching"})
	}
	if d := a.Database; d != nil {
		dim := pulumi.StringMap{"DBInstanceIdentifier": d.InstanceIdentifier}
		out = append(out,
			alarm{key: "db-cpu", description: "the database primary's CPU is high", namespace: "AWS/RDS", metric: "CPUUtilization",
				dimensions: dim, statistic: "Average", period: 300, evaluations: 3, datapoints: 3, threshold: t.DBCPUPercent, comparison: greater, missing: "missing"},
			alarm{key: "db-free-storage", description: "the database is running out of storage (autoscaling may be at its limit)", namespace: "AWS/RDS",
				metric: "FreeStorageSpace", dimensions: dim, statistic: "Minimum", period: 300, evaluations: 1, datapoints: 1,
				threshold: t.DBFreeStorageBytes, comparison: less, missing: "missing"},
		)
		for i, r := range d.ReplicaIdentifiers {
			out = append(out, alarm{key: fmt.Sprintf("db-replica-%d-lag", i+1), description: fmt.Sprintf("read replica %d lags behind the primary", i+1),
				namespace: "AWS/RDS", metric: "ReplicaLag", dimensions: pulumi.StringMap{"DBInstanceIdentifier": r}, statistic: "Maximum",
				period: 60, evaluations: 5, datapoints: 3, threshold: t.DBReplicaLagSeconds, comparison: greater, missing: "missing"})
		}
	}
	if c := a.Cache; c != nil {
		for i, id := range c.MemberClusterIDs {
			dim := pulumi.StringMap{"CacheClusterId": id}
			n := fmt.Sprintf("cache-%d", i+1)
			out = append(out,
				alarm{key: n + "-cpu", description: "cache node " + n + ": host CPU is high", namespace: "AWS/ElastiCache", metric: "CPUUtilization",
					dimensions: dim, statistic: "Average", period: 300, evaluations: 3, datapoints: 3, threshold: t.CacheCPUPercent, comparison: greater, missing: "missing"},
				alarm{key: n + "-engine-cpu", description: "cache node " + n + ": the Redis thread is busy", namespace: "AWS/ElastiCache", metric: "EngineCPUUtilization",
					dimensions: dim, statistic: "Average", period: 300, evaluations: 3, datapoints: 3, threshold: t.CacheEngineCPUPercent, comparison: greater, missing: "missing"},
				alarm{key: n + "-evictions", description: "cache node " + n + " evicts keys: it is too small", namespace: "AWS/ElastiCache", metric: "Evictions",
					dimensions: dim, statistic: "Sum", period: 300, evaluations: 1, datapoints: 1, threshold: t.CacheEvictionsPer5Min, comparison: greater, missing: "notBreaching"},
				// Only replicas publish ReplicationLag, and which node is
				// the primary changes on failover: every node gets the
				// alarm, and no data is fine.
				alarm{key: n + "-replication-lag", description: "cache node " + n + " lags behind its primary", namespace: "AWS/ElastiCache", metric: "ReplicationLag",
					dimensions: dim, statistic: "Maximum", period: 60, evaluations: 5, datapoints: 3, threshold: t.CacheReplicationLagSeconds, comparison: greater, missing: "notBreaching"},
			)
		}
	}
	if m := a.Migration; m != nil {
		dim := pulumi.StringMap{"ReplicationInstanceIdentifier": m.ReplicationInstanceID, "ReplicationTaskIdentifier": m.TaskResourceID}
		for _, side := range []string{"Source", "Target"} {
			out = append(out, alarm{key: "dms-cdc-latency-" + strings.ToLower(side), description: "DMS change capture falls behind on the " + strings.ToLower(side) + " side",
				namespace: "AWS/DMS", metric: "CDCLatency" + side, dimensions: dim, statistic: "Maximum", period: 300, evaluations: 3, datapoints: 3,
				threshold: t.CDCLatencySeconds, comparison: greater,
				// A stopped task publishes nothing; the state-change rule
				// reports that.
				missing: "notBreaching"})
		}
	}
	for _, p := range a.Protected {
		out = append(out, alarm{key: p.Label + "-ddos", description: "Shield Advanced detects a DDoS attack on " + p.Label,
			namespace: "AWS/DDoSProtection", metric: "DDoSDetected", dimensions: pulumi.StringMap{"ResourceArn": p.ARN},
			statistic: "Maximum", period: 60, evaluations: 1, datapoints: 1, threshold: 1, comparison: greaterEq, missing: "notBreaching", global: p.Global})
	}
	return out
}

// NewAlarms builds the topic and the alarms. Invalid args return an error
// naming every bad field and register nothing.
func NewAlarms(ctx *pulumi.Context, name string, args *AlarmsArgs, opts ...pulumi.ResourceOption) (*Alarms, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	al := &Alarms{AlarmARNs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, al, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(al)
	// With the component as parent the invoke uses the provider it was given.
	account, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(al))
	if err != nil {
		return nil, problem.Errorf(component, name, "account: %w", err)
	}
	tags := pulumi.StringMap{}
	for k, v := range a.Tags {
		tags[k] = pulumi.String(v)
	}

	topic, err := newTopic(ctx, name, a.Email, tags, parent)
	if err != nil {
		return nil, err
	}
	al.TopicARN = topic.Arn
	al.USEast1TopicARN = pulumi.String("").ToStringOutput()

	alarms := plan(a)
	var east pulumi.StringOutput
	for _, x := range alarms {
		if !x.global {
			continue
		}
		if a.USEast1TopicARN != nil {
			east = a.USEast1TopicARN.ToStringOutput()
		} else {
			t, err := newTopic(ctx, name+"-us-east-1", a.Email, tags, parent, pulumi.Provider(a.USEast1))
			if err != nil {
				return nil, err
			}
			east = t.Arn
		}
		al.USEast1TopicARN = east
		break
	}

	for _, x := range alarms {
		target, opts := topic.Arn, []pulumi.ResourceOption{parent}
		if x.global {
			target, opts = east, append(opts, pulumi.Provider(a.USEast1))
		}
		ma, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+x.key, &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(x.description),
			Namespace:          pulumi.String(x.namespace),
			MetricName:         pulumi.String(x.metric),
			Dimensions:         x.dimensions,
			Statistic:          pulumi.String(x.statistic),
			Period:             pulumi.Int(x.period),
			EvaluationPeriods:  pulumi.Int(x.evaluations),
			DatapointsToAlarm:  pulumi.Int(x.datapoints),
			Threshold:          pulumi.Float64(x.threshold),
			ComparisonOperator: pulumi.String(x.comparison),
			TreatMissingData:   pulumi.String(x.missing),
			AlarmActions:       pulumi.Array{target},
			OkActions:          pulumi.Array{target},
			Tags:               tags,
		}, opts...)
		if err != nil {
			return nil, err
		}
		al.AlarmARNs[x.key] = ma.Arn
		al.Keys = append(al.Keys, x.key)
	}
	sort.Strings(al.Keys)

	if a.Migration != nil {
		if err := taskStateRule(ctx, name, account.AccountId, a.Migration.TaskARN, topic, tags, parent); err != nil {
			return nil, err
		}
	} else if err := topicPolicy(ctx, name, account.AccountId, topic, nil, parent); err != nil {
		return nil, err
	}

	outs := pulumi.Map{"topicArn": al.TopicARN, "usEast1TopicArn": al.USEast1TopicARN}
	for k, v := range al.AlarmARNs {
		outs["alarm:"+k] = v
	}
	if err := ctx.RegisterResourceOutputs(al, outs); err != nil {
		return nil, err
	}
	return al, nil
}

func newTopic(ctx *pulumi.Context, name, email string, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (*sns.Topic, error) {
	topic, err := sns.NewTopic(ctx, name, &sns.TopicArgs{Tags: tags}, opts...)
	if err != nil {
		return nil, err
	}
	if email != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, opts...); err != nil {
			return nil, err
		}
	}
	return topic, nil
}

// taskStateRule sends the DMS task's state changes to the topic.
func taskStateRule(ctx *pulumi.Context, name, account string, taskARN pulumi.StringInput, topic *sns.Topic, tags pulumi.StringMap, parent pulumi.ResourceOption) error {
	pattern := taskARN.ToStringOutput().ApplyT(TaskStatePattern).(pulumi.StringOutput)
	rule, err := cloudwatch.NewEventRule(ctx, name+"-dms-task-state", &cloudwatch.EventRuleArgs{
		Description:  pulumi.String("DMS replication task state changes (stopped, failed, ...) to the alarm topic"),
		EventPattern: pattern,
		Tags:         tags,
	}, parent)
	if err != nil {
		return err
	}
	if _, err := cloudwatch.NewEventTarget(ctx, name+"-dms-task-state", &cloudwatch.EventTargetArgs{
		Rule: rule.Name,
		Arn:  topic.Arn,
	}, parent); err != nil {
		return err
	}
	return topicPolicy(ctx, name, account, topic, rule, parent)
}

// TaskStatePattern is the EventBridge pattern that matches state changes
// of one DMS task.
func TaskStatePattern(taskARN string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"source":      []string{"aws.dms"},
		"detail-type": []string{DMSTaskStateChange},
		"resources":   []string{taskARN},
	})
	return string(b), err
}

// topicPolicy replaces the topic's default policy: CloudWatch alarms of
// this account may publish, and so may the EventBridge rule when there is
// one. People and roles of the account act through their IAM policies.
func topicPolicy(ctx *pulumi.Context, name, account string, topic *sns.Topic, rule *cloudwatch.EventRule, parent pulumi.ResourceOption) error {
	ruleARN := pulumi.String("").ToStringOutput()
	if rule != nil {
		ruleARN = rule.Arn
	}
	policy := pulumi.All(topic.Arn, ruleARN).ApplyT(func(v []any) (string, error) {
		return TopicPolicy(v[0].(string), account, v[1].(string))
	}).(pulumi.StringOutput)
	_, err := sns.NewTopicPolicy(ctx, name, &sns.TopicPolicyArgs{Arn: topic.Arn, Policy: policy}, parent)
	return err
}

// TopicPolicy lets CloudWatch alarms of account, and the EventBridge rule
// ruleARN when not empty, publish to topicARN.
func TopicPolicy(topicARN, account, ruleARN string) (string, error) {
	stmts := []any{map[string]any{
		"Sid":       "CloudWatchAlarms",
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
		"Action":    "sns:Publish",
		"Resource":  topicARN,
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
	}}
	if ruleARN != "" {
		stmts = append(stmts, map[string]any{
			"Sid":       "DMSTaskStateRule",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "events.amazonaws.com"},
			"Action":    "sns:Publish",
			"Resource":  topicARN,
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": ruleARN}},
		})
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b), err
}

// Elements splits an array output of known length into inputs, one per
// element: e.g. Database.ReplicaIdentifiers from a database with n replicas.
func Elements(arr pulumi.StringArrayOutput, n int) []pulumi.StringInput {
	out := make([]pulumi.StringInput, n)
	for i := range out {
		out[i] = outputs.At(arr, i, component+": Elements")
	}
	return out
}
