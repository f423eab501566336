package shield_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	distARN = "arn:aws:cloudfront::123456789012:distribution/E123"
	albARN  = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123"

	tProtection = "aws:shield/protection:Protection"
	tGroup      = "aws:shield/protectionGroup:ProtectionGroup"
	tAuto       = "aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse"
	tAssoc      = "aws:shield/protectionHealthCheckAssociation:ProtectionHealthCheckAssociation"
	tEngagement = "aws:shield/proactiveEngagement:ProactiveEngagement"
	tSub        = "aws:shield/subscription:Subscription"
	tAlarm      = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic      = "aws:sns/topic:Topic"
	tEmail      = "aws:sns/topicSubscription:TopicSubscription"
)

func run(t *testing.T, mutate func(*shield.ShieldArgs)) (*mocktest.Result, error) {
	t.Helper()
	return mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		args := &shield.ShieldArgs{
			DistributionARN: pulumi.String(distARN),
			LoadBalancerARN: pulumi.String(albARN),
			HealthCheckFQDN: pulumi.String("shop.example.com"),
			USEast1:         east,
		}
		if mutate != nil {
			mutate(args)
		}
		_, err = shield.NewShield(ctx, "edge", args)
		return err
	}, mocktest.Options{})
}

func TestProtections(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		mutate                     func(*shield.ShieldArgs)
		protected                  []string
		subscriptions, engagements int
		emails, alarms             int
		action                     string
	}{
		"distribution and ALB": {nil, []string{distARN, albARN}, 0, 0, 0, 2, "COUNT"},
		"distribution only": {func(a *shield.ShieldArgs) { a.LoadBalancerARN = nil },
			[]string{distARN}, 0, 0, 0, 1, "COUNT"},
		"subscribed, contacts, block": {func(a *shield.ShieldArgs) {
			a.Subscribe, a.AutomaticResponseAction, a.AlarmEmail = true, "BLOCK", "ops@example.com"
			a.Contacts = []shield.Contact{{Email: "soc@example.com", Phone: "+15555550100", Notes: "24/7"}}
		}, []string{distARN, albARN}, 1, 1, 2, 2, "BLOCK"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, tc.mutate)
			if err != nil {
				t.Fatal(err)
			}
			east := res.Find("pulumi:providers:aws", "us-east-1").URN
			var got []string
			for _, p := range res.OfType(tProtection) {
				got = append(got, p.String("resourceArn"))
			}
			slices.Sort(got)
			if diff := cmp.Diff(sorted(tc.protected), got); diff != "" {
				t.Errorf("protected (-want +got):\n%s", diff)
			}
			group := res.Find(tGroup, "edge")
			var members []string
			for _, m := range group.Input("members").([]any) {
				members = append(members, m.(string))
			}
			if diff := cmp.Diff(tc.protected, members); diff != "" {
				t.Errorf("group members (-want +got):\n%s", diff)
			}
			for _, p := range res.OfType(tProtection) {
				if !res.DependsOn(group, p) {
					t.Errorf("group does not wait for protection %s", p.Name)
				}
			}
			created := 0
			for _, sub := range res.OfType(tSub) {
				if !sub.Read {
					created++
				}
			}
			counts := map[string]int{tSub: created, tEngagement: len(res.OfType(tEngagement)), tEmail: len(res.OfType(tEmail)), tAlarm: len(res.OfType(tAlarm))}
			want := map[string]int{tSub: tc.subscriptions, tEngagement: tc.engagements, tEmail: tc.emails, tAlarm: tc.alarms}
			if diff := cmp.Diff(want, counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if sub := res.Find(tSub, "edge"); sub != nil {
				for _, p := range res.OfType(tProtection) {
					if !res.DependsOn(p, sub) {
						t.Errorf("protection %s does not wait for the subscription", p.Name)
					}
				}
				if !sub.Protect || sub.Input("skipDestroy") != true {
					t.Errorf("subscription protect %v skipDestroy %v", sub.Protect, sub.Input("skipDestroy"))
				}
			}
			// Without a subscription of its own the component reads the
			// account's, by account id, before any protection: a preview of an
			// account without one fails there.
			existing := res.Find(tSub, "edge"+shield.ExistingSubscriptionName)
			if (existing != nil) != (tc.subscriptions == 0) {
				t.Fatalf("read of the existing subscription present %v with %d created", existing != nil, tc.subscriptions)
			}
			if existing != nil {
				if !existing.Read || existing.ID != mocktest.AWSAccountID || existing.ProviderURN() != east {
					t.Errorf("existing subscription: read %v, id %q (want the account %s), provider %q", existing.Read, existing.ID, mocktest.AWSAccountID, existing.Provider)
				}
				for _, p := range res.OfType(tProtection) {
					if !res.DependsOn(p, existing) {
						t.Errorf("protection %s does not wait for the subscription check", p.Name)
					}
				}
			}
			auto := res.Find(tAuto, "edge")
			if auto.String("resourceArn") != distARN || auto.String("action") != tc.action {
				t.Errorf("automatic response %v", mocktest.PlainMap(auto.Inputs))
			}
			assoc := res.Find(tAssoc, "edge-distribution")
			if !cmp.Equal(assoc.PropertyDependencies["shieldProtectionId"], []string{res.Find(tProtection, "edge-distribution").URN}) {
				t.Errorf("health check associated with %v", assoc.PropertyDependencies)
			}
			for _, typ := range []string{tProtection, tGroup, tAuto, tAssoc, tEngagement, tSub} {
				for _, r := range res.OfType(typ) {
					if r.ProviderURN() != east {
						t.Errorf("%s %s on %q, want us-east-1", typ, r.Name, r.Provider)
					}
				}
			}
			for _, a := range res.OfType(tAlarm) {
				arn := a.Input("dimensions").(map[string]any)["ResourceArn"]
				wantEast := arn == distARN
				if (a.ProviderURN() == east) != wantEast {
					t.Errorf("alarm %s for %v on %q", a.Name, arn, a.Provider)
				}
				if a.String("namespace") != "AWS/DDoSProtection" || a.String("metricName") != "DDoSDetected" {
					t.Errorf("alarm %s watches %s/%s", a.Name, a.String("namespace"), a.String("metricName"))
				}
				topic := res.Find(tTopic, strings.TrimSuffix(a.Name, "-ddos")+"-ddos")
				if !cmp.Equal(a.PropertyDependencies["alarmActions"], []string{topic.URN}) || topic.ProviderURN() != a.ProviderURN() {
					t.Errorf("alarm %s actions %v", a.Name, a.PropertyDependencies["alarmActions"])
				}
			}
		})
	}
}

func TestInvalidArgs(t *testing.T) {
	t.Parallel()
	res, err := run(t, func(a *shield.ShieldArgs) {
		a.USEast1, a.DistributionARN, a.AutomaticResponseAction = nil, nil, "DROP"
		a.Contacts = []shield.Contact{{Email: "soc@example.com", Phone: "555-0100"}, {Email: ""}}
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{`shield "edge": USEast1: required`, `shield "edge": DistributionARN: required`, `shield "edge": AutomaticResponseAction`, `shield "edge": Contacts[0].Phone`, `shield "edge": Contacts[1].Email`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if len(res.Resources) != 1 {
		t.Errorf("registered resources despite the error:\n%s", mocktest.GoldenList(res))
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
