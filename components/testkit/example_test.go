package testkit_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// A program run under the kit: what it registered, with which options,
// and the outputs the canned provider invented. The resource here is
// registered by token so the example compiles no provider SDK; a real test
// calls a component (database.NewDatabase, onprem.NewWebTier, ...).
func ExampleRun() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		bucket := &testResource{}
		if err := ctx.RegisterResource("aws:s3/bucketV2:BucketV2", "assets", pulumi.Map{
			"bucket": pulumi.String("shop-assets"),
		}, bucket, pulumi.Protect(true)); err != nil {
			return err
		}
		policy := &testResource{}
		return ctx.RegisterResource("aws:s3/bucketPolicy:BucketPolicy", "assets", pulumi.Map{
			"bucket": bucket.ID(),
		}, policy)
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	bucket := res.Find("aws:s3/bucketV2:BucketV2", "assets")
	policy := res.Find("aws:s3/bucketPolicy:BucketPolicy", "assets")
	fmt.Println("protected:", bucket.Protect)
	fmt.Println("regional domain:", bucket.Output("bucketRegionalDomainName"))
	fmt.Println("policy on the bucket's id:", policy.String("bucket") == bucket.ID, "depends on it:", res.DependsOn(policy, bucket))
	// Output:
	// protected: true
	// regional domain: shop-assets.s3.eu-west-1.amazonaws.com
	// policy on the bucket's id: true depends on it: true
}

// Under EchoInputs a resource answers with its inputs only, the mock a
// user writes first: nothing computed comes back.
func ExampleOptions_echoInputs() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		return ctx.RegisterResource("aws:s3/bucketV2:BucketV2", "assets", pulumi.Map{
			"bucket": pulumi.String("shop-assets"),
		}, &testResource{})
	}, testkit.Options{EchoInputs: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	bucket := res.Find("aws:s3/bucketV2:BucketV2", "assets")
	fmt.Println("bucket:", bucket.Output("bucket"), "regional domain:", bucket.Output("bucketRegionalDomainName"))
	// Output:
	// bucket: shop-assets regional domain: <nil>
}
