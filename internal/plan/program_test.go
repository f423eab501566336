package plan_test

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
)

// The small fixed program of the examples and tests: a network component
// with a VPC and two subnets, a database component whose instance depends
// on every network resource (listed: the SDK expands a dependency on a
// component to the children it knows at that moment, which races with
// their registration) and takes a secret password from config,
// and a nested secret inside a tags map.
type custom struct{ pulumi.CustomResourceState }
type component struct{ pulumi.ResourceState }

// programSecret is a plaintext a test program marks secret itself.
const programSecret = "inline-s3cr3t-value"

// webSubnets is how many subnets the fixed program makes; the diff example
// changes it.
func fixedProgram(subnets int, cidr, env string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		net := &component{}
		if err := ctx.RegisterComponentResource("hawebtier:test:Network", "net", net); err != nil {
			return err
		}
		vpc := &custom{}
		if err := ctx.RegisterResource("aws:ec2/vpc:Vpc", "main", pulumi.Map{
			"cidrBlock": pulumi.String(cidr),
			"tags":      pulumi.StringMap{"env": pulumi.String(env), "kubernetes.io/role": pulumi.String("none")},
		}, vpc, pulumi.Parent(net)); err != nil {
			return err
		}
		waitFor := []pulumi.Resource{vpc}
		for i := range subnets {
			s := &custom{}
			waitFor = append(waitFor, s)
			if err := ctx.RegisterResource("aws:ec2/subnet:Subnet", "web-"+string(rune('a'+i)), pulumi.Map{
				"vpcId":     vpc.ID(),
				"cidrBlock": pulumi.Sprintf("10.0.%d.0/24", i),
			}, s, pulumi.Parent(net)); err != nil {
				return err
			}
		}
		db := &component{}
		if err := ctx.RegisterComponentResource("hawebtier:test:Database", "db", db); err != nil {
			return err
		}
		password := config.GetSecret(ctx, "hawebtier:legacyDbPassword")
		inst := &custom{}
		return ctx.RegisterResource("aws:rds/instance:Instance", "primary", pulumi.Map{
			"engine":   pulumi.String("mysql"),
			"password": password,
			"tags":     pulumi.Map{"owner": pulumi.String("ops"), "token": pulumi.ToSecret(pulumi.String(programSecret))},
		}, inst, pulumi.Parent(db), pulumi.DependsOn(waitFor), pulumi.Protect(true))
	}
}

// fixedPlan evaluates the fixed program with a secret password; it
// panics on error so Example functions can use it too.
func fixedPlan(subnets int, cidr, env string) *plan.Plan {
	opts := fixedOptions()
	res, err := mocktest.Run(context.Background(), fixedProgram(subnets, cidr, env), opts)
	if err != nil {
		panic(err)
	}
	p, err := plan.FromResult(res, plan.SecretValues(opts))
	if err != nil {
		panic(err)
	}
	return p
}

// fixedPassword is the plaintext of the fixed program's secret config.
const fixedPassword = "db-pa55word-plain"

func fixedOptions() mocktest.Options {
	return mocktest.Options{
		Stack:      "example",
		Config:     map[string]string{"hawebtier:legacyDbPassword": fixedPassword},
		SecretKeys: []string{"hawebtier:legacyDbPassword"},
	}
}

// leakyProgram reads a secret config key with the plain getter and puts
// it into user-data: the bug the scrubber exists for.
func leakyProgram(ctx *pulumi.Context) error {
	pw := config.Get(ctx, "hawebtier:legacyDbPassword")
	r := &custom{}
	return ctx.RegisterResource("aws:ec2/instance:Instance", "leaky", pulumi.Map{
		"userData": pulumi.String("#!/bin/sh\necho " + pw + " > /etc/db-password\n"),
	}, r)
}
