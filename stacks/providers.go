package stacks

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// awsSettings are the parts of the stack's `aws:` config an extra provider
// must keep, so a us-east-1 or replica provider authenticates exactly as
// the default provider does.
type awsSettings struct {
	Region                 string
	Profile                string
	SharedCredentialsFiles []string
	AllowedAccountIDs      []string
	AssumeRole             *assumeRole
	DefaultTags            map[string]string
}

type assumeRole struct {
	RoleARN     string `json:"roleArn"`
	SessionName string `json:"sessionName"`
	ExternalID  string `json:"externalId"`
	Duration    string `json:"duration"`
}

// readAWSSettings reads the aws provider's settings the program uses,
// reporting each bad or missing one under its aws: key; settings is nil
// when there is a problem.
func readAWSSettings(ctx *pulumi.Context) (settings *awsSettings, ps []Problem) {
	c := config.New(ctx, "aws")
	s := &awsSettings{Region: c.Get("region"), Profile: c.Get("profile")}
	bad := func(k, format string, err error) {
		ps = append(ps, Problem{Key: k, Message: fmt.Sprintf(format, err)})
	}
	if err := c.TryObject("sharedCredentialsFiles", &s.SharedCredentialsFiles); err != nil && !isMissing(err) {
		bad("aws:sharedCredentialsFiles", "expected a list of paths: %v", err)
	}
	if err := c.TryObject("allowedAccountIds", &s.AllowedAccountIDs); err != nil && !isMissing(err) {
		bad("aws:allowedAccountIds", "expected a list of account ids: %v", err)
	}
	var ar assumeRole
	if err := c.TryObject("assumeRole", &ar); err == nil {
		s.AssumeRole = &ar
	} else if !isMissing(err) {
		bad("aws:assumeRole", "expected an object with roleArn: %v", err)
	}
	var tags struct {
		Tags map[string]string `json:"tags"`
	}
	if err := c.TryObject("defaultTags", &tags); err == nil {
		s.DefaultTags = tags.Tags
	} else if !isMissing(err) {
		bad("aws:defaultTags", "expected {tags: {...}}: %v", err)
	}
	if s.Region == "" {
		ps = append(ps, Problem{Key: "aws:region", Message: "required for target aws (pulumi config set aws:region eu-west-1)"})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return s, nil
}

// newAWSProvider builds an explicit provider for region with the stack's
// credentials settings.
func newAWSProvider(ctx *pulumi.Context, name, region string, s *awsSettings) (*aws.Provider, error) {
	args := &aws.ProviderArgs{Region: pulumi.String(region)}
	if s.Profile != "" {
		args.Profile = pulumi.String(s.Profile)
	}
	if len(s.SharedCredentialsFiles) > 0 {
		args.SharedCredentialsFiles = pulumi.ToStringArray(s.SharedCredentialsFiles)
	}
	if len(s.AllowedAccountIDs) > 0 {
		args.AllowedAccountIds = pulumi.ToStringArray(s.AllowedAccountIDs)
	}
	if ar := s.AssumeRole; ar != nil {
		a := aws.ProviderAssumeRoleArgs{RoleArn: pulumi.String(ar.RoleARN)}
		if ar.SessionName != "" {
			a.SessionName = pulumi.String(ar.SessionName)
		}
		if ar.ExternalID != "" {
			a.ExternalId = pulumi.String(ar.ExternalID)
		}
		if ar.Duration != "" {
			a.Duration = pulumi.String(ar.Duration)
		}
		args.AssumeRole = a
	}
	if len(s.DefaultTags) > 0 {
		args.DefaultTags = aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(s.DefaultTags)}
	}
	p, err := aws.NewProvider(ctx, name, args)
	if err != nil {
		return nil, fmt.Errorf("aws provider %q (%s): %w", name, region, err)
	}
	return p, nil
}

func isMissing(err error) bool {
	return errors.Is(err, config.ErrMissingVar)
}
