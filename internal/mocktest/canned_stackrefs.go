package mocktest

// CannedStackOutputs answer the StackReferences of the shipped stacks
// offline (Options.StackOutputs): aws-production peers with aws-staging's
// Transit Gateway and reads these outputs. The values are placeholders
// with the right shapes; they only let the program build its graph. The
// key is the name the program qualifies "aws-staging" to under the mock
// engine, whose organization is Pulumi's default "organization". Each
// call returns a fresh copy.
func CannedStackOutputs() map[string]map[string]any {
	return map[string]map[string]any{
		"organization/hawebtier/aws-staging": {
			"vpcId":                      "vpc-0staging",
			"vpcCidr":                    "10.110.0.0/16",
			"transitGatewayId":           "tgw-0staging",
			"transitGatewayRouteTableId": "tgw-rtb-0staging",
			"appRouteTableIds":           []any{"rtb-0stga", "rtb-0stgb", "rtb-0stgc"},
			"region":                     "eu-west-1",
		},
	}
}
