package plan_test

import (
	"os"

	"github.com/hawebtier/hawebtier/internal/plan"
)

// The tree is what `hawebtier plan` prints: components nest their
// children, explicit providers and reads would show too, and the counts
// leave out the stack itself.
func ExamplePlan_WriteTree() {
	p := fixedPlan(2, "10.0.0.0/16", "dev")
	if err := p.WriteTree(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// Previewing stack example offline (mock engine: no Pulumi CLI, no cloud calls)
	//
	//      Type                             Name               Plan
	//  +   pulumi:pulumi:Stack              hawebtier-example  create
	//  +   ├─ hawebtier:test:Database       db                 create
	//  +   │  └─ aws:rds/instance:Instance  primary            create  [protected]
	//  +   └─ hawebtier:test:Network        net                create
	//  +      ├─ aws:ec2/subnet:Subnet      web-a              create
	//  +      ├─ aws:ec2/subnet:Subnet      web-b              create
	//  +      └─ aws:ec2/vpc:Vpc            main               create
	//
	// Resources by type:
	//        2  aws:ec2/subnet:Subnet
	//        1  aws:ec2/vpc:Vpc
	//        1  aws:rds/instance:Instance
	//        1  hawebtier:test:Database
	//        1  hawebtier:test:Network
	//
	// Resources:
	//     + 6 to create
	//     6 resources in total (the stack itself not counted)
}

// A diff by URN: a third subnet is added and the VPC's CIDR changes, which
// the replacement table says forces a new VPC, and so new subnets: their
// vpcId comes from the VPC. The tag change is a nested path.
func ExampleDiff() {
	old := fixedPlan(2, "10.0.0.0/16", "dev")
	cur := fixedPlan(3, "10.1.0.0/16", "staging")
	if err := plan.Diff(old, cur).WriteText(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// stack example: +1 ~3 -0 (3 replaced)
	// +- aws:ec2/subnet:Subnet web-a
	//     ~ vpcId: "main-a0e740988986" => (output of replaced aws:ec2/vpc:Vpc main)  (forces replacement)
	// +- aws:ec2/subnet:Subnet web-b
	//     ~ vpcId: "main-a0e740988986" => (output of replaced aws:ec2/vpc:Vpc main)  (forces replacement)
	// +  aws:ec2/subnet:Subnet web-c
	// +- aws:ec2/vpc:Vpc main
	//     ~ cidrBlock: "10.0.0.0/16" => "10.1.0.0/16"  (forces replacement)
	//     ~ tags.env: "dev" => "staging"
}

// The critical path of the fixed program: the database waits for every
// network resource (its dependsOn), so the chain is a VPC, a subnet, then
// the 15-minute RDS instance.
func ExamplePlan_ComputeCriticalPath() {
	cp, err := fixedPlan(2, "10.0.0.0/16", "dev").ComputeCriticalPath()
	if err != nil {
		panic(err)
	}
	if err := cp.WriteText(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// Critical path: 15m20s (the least time `pulumi up` of this stack can take; typical create times, see internal/plan/createtimes.go)
	//    1. aws:ec2/vpc:Vpc main  (10s, done at 10s)
	//    2. aws:ec2/subnet:Subnet web-a  (10s, done at 20s)
	//    3. aws:rds/instance:Instance primary  (15m, done at 15m20s)
}
