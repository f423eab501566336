package alarms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tAlarm   = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic   = "aws:sns/topic:Topic"
	tSub     = "aws:sns/topicSubscription:TopicSubscription"
	tRule    = "aws:cloudwatch/eventRule:EventRule"
	tTarget  = "aws:cloudwatch/eventTarget:EventTarget"
	tPolicy  = "aws:sns/topicPolicy:TopicPolicy"
	tProvAWS = "pulumi:providers:aws"

	publicLB   = "app/web-public/0123456789abcdef"
	publicTG   = "targetgroup/web/1111111111111111"
	internalLB = "app/web-internal/fedcba9876543210"
	internalTG = "targetgroup/app/2222222222222222"
	distARN    = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456"
	albARN     = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web-public/0123456789abcdef"
	taskARN    = "arn:aws:dms:eu-west-1:123456789012:task:TASKRESOURCEID0123456789AB"
)

// fullArgs watches one of everything; usEast1 is set by the caller.
func fullArgs() *alarms.AlarmsArgs {
	return &alarms.AlarmsArgs{
		Email: "ops@example.com",
		LoadBalancers: []alarms.LoadBalancer{
			{Label: "public", ARNSuffix: pulumi.String(publicLB), TargetGroupARNSuffix: pulumi.String(publicTG)},
			{Label: "internal", ARNSuffix: pulumi.String(internalLB), TargetGroupARNSuffix: pulumi.String(internalTG)},
		},
		AutoScalingGroups: []alarms.AutoScalingGroup{
			{Label: "web", Name: pulumi.String("web-asg-1"), MinInService: 2},
			{Label: "app", Name: pulumi.String("app-asg-1"), MinInService: 3},
		},
		Database: &alarms.Database{
			InstanceIdentifier: pulumi.String("shop-db"),
			ReplicaIdentifiers: []pulumi.StringInput{pulumi.String("shop-db-replica-1"), pulumi.String("shop-db-replica-2")},
		},
		Cache: &alarms.Cache{MemberClusterIDs: []pulumi.StringInput{pulumi.String("sessions-001"), pulumi.String("sessions-002")}},
		Migration: &alarms.Migration{
			ReplicationInstanceID: pulumi.String("legacy-instance"),
			TaskResourceID:        pulumi.String("TASKRESOURCEID0123456789AB"),
			TaskARN:               pulumi.String(taskARN),
		},
		Protected: []alarms.ProtectedResource{
			{Label: "distribution", ARN: pulumi.String(distARN), Global: true},
			{Label: "alb", ARN: pulumi.String(albARN)},
		},
	}
}

type outs struct {
	mu            sync.Mutex
	topic, east   string
	keys          []string
	alarmARNCount int
}

// run builds the component; withUSEast1 adds a us-east-1 provider to args.
func run(t *testing.T, args *alarms.AlarmsArgs, withUSEast1 bool) (*mocktest.Result, *outs, error) {
	t.Helper()
	o := &outs{}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		if withUSEast1 {
			p, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
			if err != nil {
				return err
			}
			args.USEast1 = p
		}
		al, err := alarms.NewAlarms(ctx, "ops", args)
		if err != nil {
			return err
		}
		o.keys = al.Keys
		o.alarmARNCount = len(al.AlarmARNs)
		pulumi.All(al.TopicARN, al.USEast1TopicARN).ApplyT(func(v []any) error {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.topic, o.east = v[0].(string), v[1].(string)
			return nil
		})
		return nil
	}, mocktest.Options{})
	return res, o, err
}

func mustRun(t *testing.T, args *alarms.AlarmsArgs, withUSEast1 bool) (*mocktest.Result, *outs) {
	t.Helper()
	res, o, err := run(t, args, withUSEast1)
	if err != nil {
		t.Fatal(err)
	}
	return res, o
}

type want struct {
	namespace, metric string
	dims              map[string]any
	global            bool
}

func TestEveryAlarmPointsAtTopicAndResource(t *testing.T) {
	t.Parallel()
	res, o := mustRun(t, fullArgs(), true)
	lb := func(suffix string) map[string]any { return map[string]any{"LoadBalancer": suffix} }
	tg := func(lbs, tgs string) map[string]any { return map[string]any{"LoadBalancer": lbs, "TargetGroup": tgs} }
	db := func(id string) map[string]any { return map[string]any{"DBInstanceIdentifier": id} }
	cc := func(id string) map[string]any { return map[string]any{"CacheClusterId": id} }
	dmsDims := map[string]any{"ReplicationInstanceIdentifier": "legacy-instance", "ReplicationTaskIdentifier": "TASKRESOURCEID0123456789AB"}
	const elb, rds, ec = "AWS/ApplicationELB", "AWS/RDS", "AWS/ElastiCache"
	wants := map[string]want{
		"public-elb-5xx":           {elb, "HTTPCode_ELB_5XX_Count", lb(publicLB), false},
		"public-target-5xx":        {elb, "HTTPCode_Target_5XX_Count", tg(publicLB, publicTG), false},
		"public-unhealthy-hosts":   {elb, "UnHealthyHostCount", tg(publicLB, publicTG), false},
		"internal-elb-5xx":         {elb, "HTTPCode_ELB_5XX_Count", lb(internalLB), false},
		"internal-target-5xx":      {elb, "HTTPCode_Target_5XX_Count", tg(internalLB, internalTG), false},
		"internal-unhealthy-hosts": {elb, "UnHealthyHostCount", tg(internalLB, internalTG), false},
		"web-in-service":           {"AWS/AutoScaling", "GroupInServiceInstances", map[string]any{"AutoScalingGroupName": "web-asg-1"}, false},
		"app-in-service":           {"AWS/AutoScaling", "GroupInServiceInstances", map[string]any{"AutoScalingGroupName": "app-asg-1"}, false},
		"db-cpu":                   {rds, "CPUUtilization", db("shop-db"), false},
		"db-free-storage":          {rds, "FreeStorageSpace", db("shop-db"), false},
		"db-replica-1-lag":         {rds, "ReplicaLag", db("shop-db-replica-1"), false},
		"db-replica-2-lag":         {rds, "ReplicaLag", db("shop-db-replica-2"), false},
		"cache-1-cpu":              {ec, "CPUUtilization", cc("sessions-001"), false},
		"cache-1-engine-cpu":       {ec, "EngineCPUUtilization", cc("sessions-001"), false},
		"cache-1-evictions":        {ec, "Evictions", cc("sessions-001"), false},
		"cache-1-replication-lag":  {ec, "ReplicationLag", cc("sessions-001"), false},
		"cache-2-cpu":              {ec, "CPUUtilization", cc("sessions-002"), false},
		"cache-2-engine-cpu":       {ec, "EngineCPUUtilization", cc("sessions-002"), false},
		"cache-2-evictions":        {ec, "Evictions", cc("sessions-002"), false},
		"cache-2-replication-lag":  {ec, "ReplicationLag", cc("sessions-002"), false},
		"dms-cdc-latency-source":   {"AWS/DMS", "CDCLatencySource", dmsDims, false},
		"dms-cdc-latency-target":   {"AWS/DMS", "CDCLatencyTarget", dmsDims, false},
		"distribution-ddos":        {"AWS/DDoSProtection", "DDoSDetected", map[string]any{"ResourceArn": distARN}, true},
		"alb-ddos":                 {"AWS/DDoSProtection", "DDoSDetected", map[string]any{"ResourceArn": albARN}, false},
	}

	regional := res.Find(tTopic, "ops")
	east := res.Find(tTopic, "ops-us-east-1")
	provider := res.Find(tProvAWS, "us-east-1")
	if regional == nil || east == nil || provider == nil {
		t.Fatalf("missing topic, us-east-1 topic or provider:\n%s", mocktest.GoldenList(res))
	}
	if east.ProviderURN() != provider.URN || regional.ProviderURN() == provider.URN {
		t.Errorf("topic providers: regional %q, us-east-1 %q", regional.Provider, east.Provider)
	}
	o.mu.Lock()
	topicARN, eastARN := o.topic, o.east
	o.mu.Unlock()
	if topicARN == "" || eastARN == "" || topicARN == eastARN {
		t.Fatalf("topic ARNs %q and %q", topicARN, eastARN)
	}

	got := map[string]want{}
	for _, a := range res.OfType(tAlarm) {
		key := strings.TrimPrefix(a.Name, "ops-")
		got[key] = want{a.String("namespace"), a.String("metricName"), a.Input("dimensions").(map[string]any), a.ProviderURN() == provider.URN}
		topic, arn := regional, topicARN
		if wants[key].global {
			topic, arn = east, eastARN
		}
		for _, actions := range []string{"alarmActions", "okActions"} {
			if diff := cmp.Diff([]any{arn}, a.Input(actions)); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", key, actions, diff)
			}
			if !contains(a.PropertyDependencies[actions], topic.URN) {
				t.Errorf("%s %s do not come from topic %s: %v", key, actions, topic.Name, a.PropertyDependencies[actions])
			}
		}
	}
	if diff := cmp.Diff(wants, got, cmp.AllowUnexported(want{})); diff != "" {
		t.Errorf("alarms (-want +got):\n%s", diff)
	}
	wantKeys := make([]string, 0, len(wants))
	for k := range wants {
		wantKeys = append(wantKeys, k)
	}
	sort.Strings(wantKeys)
	if diff := cmp.Diff(wantKeys, o.keys); diff != "" || o.alarmARNCount != len(wants) {
		t.Errorf("Keys (-want +got):\n%s\nAlarmARNs: %d", diff, o.alarmARNCount)
	}
	for _, name := range []string{"ops-email", "ops-us-east-1-email"} {
		s := res.Find(tSub, name)
		if s == nil || s.String("endpoint") != "ops@example.com" || s.String("protocol") != "email" {
			t.Errorf("subscription %s: %v", name, s)
		}
	}
}

func TestThresholds(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		th   alarms.Thresholds
		want map[string][2]any // key -> threshold, comparison
	}{
		"defaults": {alarms.Thresholds{}, map[string][2]any{
			"public-elb-5xx": {10.0, "GreaterThanThreshold"}, "web-in-service": {2.0, "LessThanThreshold"},
			"db-free-storage": {float64(10 << 30), "LessThanThreshold"}, "db-replica-1-lag": {60.0, "GreaterThanThreshold"},
			"cache-1-evictions": {100.0, "GreaterThanThreshold"}, "dms-cdc-latency-source": {300.0, "GreaterThanThreshold"},
			"alb-ddos": {1.0, "GreaterThanOrEqualToThreshold"},
		}},
		"overrides": {alarms.Thresholds{ELB5xxPerMinute: 50, DBReplicaLagSeconds: 5, CDCLatencySeconds: 60}, map[string][2]any{
			"public-elb-5xx": {50.0, "GreaterThanThreshold"}, "db-replica-1-lag": {5.0, "GreaterThanThreshold"},
			"dms-cdc-latency-target": {60.0, "GreaterThanThreshold"}, "db-cpu": {80.0, "GreaterThanThreshold"},
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := fullArgs()
			args.Thresholds = tc.th
			res, _ := mustRun(t, args, true)
			got := map[string][2]any{}
			for k := range tc.want {
				a := res.Find(tAlarm, "ops-"+k)
				if a == nil {
					t.Fatalf("no alarm %s", k)
				}
				got[k] = [2]any{a.Input("threshold"), a.String("comparisonOperator")}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("thresholds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTaskStateRuleReachesTopic(t *testing.T) {
	t.Parallel()
	res, o := mustRun(t, fullArgs(), true)
	rule, target, policy := res.Find(tRule, "ops-dms-task-state"), res.Find(tTarget, "ops-dms-task-state"), res.Find(tPolicy, "ops")
	if rule == nil || target == nil || policy == nil {
		t.Fatalf("missing rule, target or topic policy:\n%s", mocktest.GoldenList(res))
	}
	var pattern map[string][]string
	if err := json.Unmarshal([]byte(rule.String("eventPattern")), &pattern); err != nil {
		t.Fatal(err)
	}
	wantPattern := map[string][]string{"source": {"aws.dms"}, "detail-type": {"DMS Replication Task State Change"}, "resources": {taskARN}}
	if diff := cmp.Diff(wantPattern, pattern); diff != "" {
		t.Errorf("event pattern (-want +got):\n%s", diff)
	}
	o.mu.Lock()
	topicARN := o.topic
	o.mu.Unlock()
	if target.String("arn") != topicARN || !contains(target.PropertyDependencies["rule"], rule.URN) {
		t.Errorf("rule target %q (rule deps %v), want the topic %q", target.String("arn"), target.PropertyDependencies["rule"], topicARN)
	}
	var doc struct {
		Statement []struct {
			Sid       string
			Principal map[string]string
			Resource  string
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(policy.String("policy")), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range doc.Statement {
		if s.Resource != topicARN {
			t.Errorf("statement %s on %q, want the topic", s.Sid, s.Resource)
		}
		for _, c := range s.Condition {
			for k, v := range c {
				got[s.Principal["Service"]] = k + "=" + v
			}
		}
	}
	want := map[string]string{
		"cloudwatch.amazonaws.com": "aws:SourceAccount=" + mocktest.AWSAccountID,
		// The harness's ARN for the rule: the policy names that very rule.
		"events.amazonaws.com": "aws:SourceArn=" + mocktest.AWSARN(rule.Name, nil),
	}
	if !contains(policy.PropertyDependencies["policy"], rule.URN) {
		t.Errorf("topic policy does not come from the rule: %v", policy.PropertyDependencies["policy"])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("topic policy (-want +got):\n%s", diff)
	}
}

func TestOptionalParts(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args        func() *alarms.AlarmsArgs
		usEast1     bool
		alarms      int
		topics      int
		emails      int
		rule        bool
		eastTopicIs string
	}{
		"topic only": {func() *alarms.AlarmsArgs { return &alarms.AlarmsArgs{} }, false, 0, 1, 0, false, ""},
		"no shield, no email": {func() *alarms.AlarmsArgs {
			a := fullArgs()
			a.Protected, a.Email = nil, ""
			return a
		}, false, 22, 1, 0, true, ""},
		"us-east-1 topic given": {func() *alarms.AlarmsArgs {
			a := fullArgs()
			a.USEast1TopicARN = pulumi.String("arn:aws:sns:us-east-1:123456789012:edge-alarms")
			return a
		}, true, 24, 1, 1, true, "arn:aws:sns:us-east-1:123456789012:edge-alarms"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, o := mustRun(t, tc.args(), tc.usEast1)
			got := []any{len(res.OfType(tAlarm)), len(res.OfType(tTopic)), len(res.OfType(tSub)), res.Find(tRule, "ops-dms-task-state") != nil}
			if diff := cmp.Diff([]any{tc.alarms, tc.topics, tc.emails, tc.rule}, got); diff != "" {
				t.Errorf("alarms, topics, subscriptions, rule (-want +got):\n%s", diff)
			}
			if res.Find(tPolicy, "ops") == nil {
				t.Error("topic without a policy letting CloudWatch publish")
			}
			o.mu.Lock()
			east := o.east
			o.mu.Unlock()
			if east != tc.eastTopicIs {
				t.Errorf("USEast1TopicARN %q, want %q", east, tc.eastTopicIs)
			}
			if tc.eastTopicIs != "" {
				a := res.Find(tAlarm, "ops-distribution-ddos")
				if diff := cmp.Diff([]any{tc.eastTopicIs}, a.Input("alarmActions")); diff != "" {
					t.Errorf("distribution alarm actions (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestBadArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		edit    func(a *alarms.AlarmsArgs)
		usEast1 bool
		want    []string
	}{
		"bad email": {func(a *alarms.AlarmsArgs) { a.Email = "ops at example" }, true, []string{`Email: not an email address: "ops at example"`}},
		"global resource without us-east-1 provider": {func(a *alarms.AlarmsArgs) {}, false, []string{"USEast1: required"}},
		"duplicate and bad labels": {func(a *alarms.AlarmsArgs) {
			a.LoadBalancers[1].Label = "public"
			a.AutoScalingGroups[0].Label = "Web Tier"
		}, true, []string{`LoadBalancers[1].Label: "public" is already the label of LoadBalancers[0].Label`, "AutoScalingGroups[0].Label: expected a short lower-case name"}},
		"missing inputs": {func(a *alarms.AlarmsArgs) {
			a.LoadBalancers[0].TargetGroupARNSuffix = nil
			a.AutoScalingGroups[1].MinInService = 0
			a.Database.InstanceIdentifier = nil
			a.Cache.MemberClusterIDs = nil
			a.Migration.TaskResourceID = nil
		}, true, []string{"LoadBalancers[0].TargetGroupARNSuffix: required", "AutoScalingGroups[1].MinInService: expected at least 1, got 0",
			"Database.InstanceIdentifier: required", "Cache.MemberClusterIDs: required", "Migration.TaskResourceID: required"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := fullArgs()
			tc.edit(args)
			res, _, err := run(t, args, tc.usEast1)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), `alarms "ops": `+w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			mocktest.RequireNothingRegistered(t, res, tProvAWS)
		})
	}
}

func TestElements(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		arr := pulumi.ToStringArray([]string{"r-1", "r-2", "r-3"}).ToStringArrayOutput()
		for i, e := range alarms.Elements(arr, 3) {
			// Exported so the run waits for it.
			ctx.Export(fmt.Sprint(i), e.ToStringOutput().ApplyT(func(s string) string {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, fmt.Sprintf("%d=%s", i, s))
				return s
			}))
		}
		return nil
	}, mocktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	if diff := cmp.Diff([]string{"0=r-1", "1=r-2", "2=r-3"}, got); diff != "" {
		t.Errorf("Elements (-want +got):\n%s", diff)
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
