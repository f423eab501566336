package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// MinimumTLS is the oldest protocol viewers may use with a custom domain:
// TLS 1.2 with the 2021 cipher list.
const MinimumTLS = "TLSv1.2_2021"

// certificate requests the domain's certificate in us-east-1 (the only
// region CloudFront takes certificates from) and waits for ACM to issue it,
// since CloudFront refuses a pending certificate. With a hosted zone it
// writes the DNS validation record itself; without one the operator
// creates the record shown in the returned validation output ("name CNAME
// value") while the update waits.
func certificate(ctx *pulumi.Context, name string, a *EdgeArgs, tags pulumi.StringMap, east, parent []pulumi.ResourceOption) (arn, record pulumi.StringOutput, err error) {
	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:       pulumi.String(a.Domain),
		ValidationMethod: pulumi.String("DNS"),
		Tags:             tags,
	}, east...)
	if err != nil {
		return arn, record, err
	}
	// ACM lists one validation record per domain; an empty list (a provider
	// or mock that returns none) is an error of the run, not an index out
	// of range.
	dvo := cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) (acm.CertificateDomainValidationOption, error) {
		if len(opts) == 0 {
			return acm.CertificateDomainValidationOption{}, problem.Errorf(component, name, "certificate %q: ACM returned no DNS validation record (domainValidationOptions is empty)", a.Domain)
		}
		return opts[0], nil
	}).(acm.CertificateDomainValidationOptionOutput)
	record = pulumi.Sprintf("%s %s %s", dvo.ResourceRecordName().Elem(), dvo.ResourceRecordType().Elem(), dvo.ResourceRecordValue().Elem())
	validation := &acm.CertificateValidationArgs{CertificateArn: cert.Arn}
	if a.HostedZoneID != "" {
		r, err := route53.NewRecord(ctx, name+"-validation", &route53.RecordArgs{
			ZoneId:         pulumi.String(a.HostedZoneID),
			Name:           dvo.ResourceRecordName().Elem(),
			Type:           dvo.ResourceRecordType().Elem(),
			Records:        pulumi.StringArray{dvo.ResourceRecordValue().Elem()},
			Ttl:            pulumi.Int(60),
			AllowOverwrite: pulumi.Bool(true),
		}, parent...)
		if err != nil {
			return arn, record, err
		}
		validation.ValidationRecordFqdns = pulumi.StringArray{r.Fqdn}
	}
	valid, err := acm.NewCertificateValidation(ctx, name, validation, east...)
	if err != nil {
		return arn, record, err
	}
	return valid.CertificateArn, record, nil
}

// aliasRecords point the domain at the distribution (IPv4 and IPv6).
func aliasRecords(ctx *pulumi.Context, name string, a *EdgeArgs, dist *cloudfront.Distribution, parent []pulumi.ResourceOption) error {
	for _, typ := range []string{"A", "AAAA"} {
		if _, err := route53.NewRecord(ctx, name+"-"+typ, &route53.RecordArgs{
			ZoneId: pulumi.String(a.HostedZoneID),
			Name:   pulumi.String(a.Domain),
			Type:   pulumi.String(typ),
			Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
				Name:                 dist.DomainName,
				ZoneId:               dist.HostedZoneId,
				EvaluateTargetHealth: pulumi.Bool(false),
			}},
		}, parent...); err != nil {
			return err
		}
	}
	return nil
}
