// Package testkit runs a Pulumi program that uses the hawebtier components
// under the Pulumi SDK's mock engine (pulumi.NewContext with Mocks, then
// pulumi.RunWithContext) and records everything it registered, so a Go
// test can assert the resource graph without a Pulumi CLI, provider
// plugins or cloud credentials:
//
//	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
//		_, err := database.NewDatabase(ctx, "shop", args)
//		return err
//	}, testkit.Options{})
//	db := testkit.MustFind(t, res, "aws:rds/instance:Instance", "shop")
//	if db.Input("multiAz") != true { ... }
//
// A Result lists the registered Resources in URN order with their inputs
// (Input and String give plain Go values; Output what the canned provider
// answered), parents (Children, Descendants), dependencies (DependsOn,
// DirectDependencies), provider, protect and other options, the input
// paths marked secret (SecretPaths), and the Invokes the program made.
//
// # What the mocks answer
//
// A mock engine knows nothing a provider computes, and a component that
// reads a computed output (an RDS-managed secret's arn, a template's
// disks) would fail or build a wrong graph with an empty answer. The kit
// answers, keyed by type token, every output the components read, shaped
// like the real provider's answers, with values derived from the
// resource's name (never a counter: the SDK registers from many
// goroutines, and two runs of one program give the same ids and arns).
// The account is AWSAccountID, the region AWSRegion. Any other resource
// gets its inputs back, an id and, for aws:* types, an arn.
//
// Answers by component (resource outputs, then invokes):
//
//   - aws/network: aws:iam/role:Role and aws:cloudwatch/logGroup:LogGroup
//     name and arn (the flow logs); invokes
//     aws:index/getAvailabilityZones:getAvailabilityZones (names and
//     zoneIds, three zones of AWSRegion),
//     aws:index/getCallerIdentity:getCallerIdentity and
//     aws:index/getRegion:getRegion.
//   - aws/webtier: aws:ec2/launchTemplate:LaunchTemplate latestVersion and
//     defaultVersion; aws:lb/loadBalancer:LoadBalancer dnsName, zoneId,
//     arnSuffix and arn (internal- prefix for an internal ALB);
//     aws:lb/targetGroup:TargetGroup arnSuffix and arn;
//     aws:autoscaling/group:Group name; aws:iam/role:Role and
//     aws:iam/instanceProfile:InstanceProfile name and arn; invokes
//     aws:ssm/getParameter:getParameter (the Debian AMI's public
//     parameter, value DebianAMI), aws:index/getRegion:getRegion and
//     aws:index/getPartition:getPartition.
//   - aws/database: aws:rds/instance:Instance identifier, address, port
//     (3306, or 5432 for postgres), endpoint, resourceId, arn and, with
//     manageMasterUserPassword, masterUserSecrets[0].secretArn;
//     aws:secretsmanager/secret:Secret name and arn (a generated
//     password's secret); random:index/randomPassword:RandomPassword
//     result (secret).
//   - aws/cache: aws:elasticache/replicationGroup:ReplicationGroup
//     primaryEndpointAddress, readerEndpointAddress, memberClusters (one
//     per numCacheClusters), port and arn; the auth token's
//     random:index/randomPassword:RandomPassword result and its
//     aws:secretsmanager/secret:Secret arn.
//   - aws/edge: aws:s3/bucketV2:BucketV2 bucket, arn, bucketDomainName and
//     bucketRegionalDomainName; aws:cloudfront/distribution:Distribution
//     arn, domainName and hostedZoneId;
//     aws:cloudfront/originAccessIdentity:OriginAccessIdentity iamArn and
//     cloudfrontAccessIdentityPath; aws:acm/certificate:Certificate arn and
//     domainValidationOptions[0] (the DNS validation record);
//     aws:route53/record:Record fqdn; aws:kms/key:Key keyId and arn;
//     aws:iam/role:Role arn (replication); the origin header's
//     random:index/randomPassword:RandomPassword result; invokes
//     aws:ec2/getManagedPrefixList:getManagedPrefixList (CloudFront's
//     origin-facing list, id CloudFrontOriginFacingPrefixList),
//     aws:cloudfront/getLogDeliveryCanonicalUserId:getLogDeliveryCanonicalUserId,
//     aws:s3/getCanonicalUserId:getCanonicalUserId and
//     aws:index/getCallerIdentity:getCallerIdentity.
//   - aws/edge/waf: aws:wafv2/webAcl:WebAcl arn and capacity;
//     aws:cloudwatch/logGroup:LogGroup name and arn.
//   - aws/edge/shield: aws:route53/healthCheck:HealthCheck arn;
//     aws:sns/topic:Topic name and arn; invoke
//     aws:index/getCallerIdentity:getCallerIdentity.
//   - aws/alarms: aws:sns/topic:Topic name and arn; invoke
//     aws:index/getCallerIdentity:getCallerIdentity.
//   - aws/migration: aws:dms/replicationInstance:ReplicationInstance
//     replicationInstanceArn, aws:dms/endpoint:Endpoint endpointArn,
//     aws:dms/replicationTask:ReplicationTask replicationTaskArn (its last
//     part is the task's CloudWatch dimension, see DMSARN),
//     aws:dms/replicationSubnetGroup:ReplicationSubnetGroup
//     replicationSubnetGroupArn and vpcId; aws:iam/role:Role name and arn;
//     command:local:Command stdout and stderr (empty); invokes
//     aws:index/getRegion:getRegion and aws:index/getPartition:getPartition.
//   - aws/transit: aws:ec2/vpnConnection:VpnConnection
//     transitGatewayAttachmentId and, per tunnel (tunnel1..., tunnel2...),
//     Address, InsideCidr (the requested /30, or one AWS would pick),
//     VgwInsideAddress and CgwInsideAddress (VPNInsideAddresses) and
//     BgpAsn; the pre-shared keys' random:index/randomPassword:RandomPassword
//     result; invoke
//     aws:ec2transitgateway/getDirectConnectGatewayAttachment:getDirectConnectGatewayAttachment.
//   - onprem (onprem.LookUpPlacement, onprem.LookupTemplate): invokes
//     vsphere:index/getDatacenter:getDatacenter,
//     vsphere:index/getComputeCluster:getComputeCluster (id and
//     resourcePoolId), vsphere:index/getResourcePool:getResourcePool,
//     vsphere:index/getDatastore:getDatastore,
//     vsphere:index/getNetwork:getNetwork and, for the template,
//     vsphere:index/getVirtualMachine:getVirtualMachine: uuid (its own per
//     name, VSphereTemplateUUIDOf), guestId debian12_64Guest, firmware efi,
//     numCpus, memory, scsiType pvscsi, networkInterfaceTypes [vmxnet3] and
//     disks (one thin VSphereTemplateDisk GiB disk, "Hard disk 1");
//     resource vsphere:index/virtualMachine:VirtualMachine uuid (the VM's
//     id), moid and defaultIpAddress / guestIpAddresses
//     (VSphereGuestAddress, a link-local address on purpose: code that
//     should use the configured static address instead shows up);
//     the AJP secret's random:index/randomPassword:RandomPassword result.
//   - components/day2: reads nothing computed; its remote commands get
//     their inputs back.
//
// Also answered, for programs around the components:
// aws:ec2/getAmi:getAmi (DebianAMI), vsphere:index/getFolder:getFolder,
// vsphere:index/getTagCategory:getTagCategory, and an arn for every other
// aws:* resource.
//
// Every vSphere lookup answers whatever name it is given, with ids derived
// from the name. A test that must see a misspelt name refused, as vCenter
// would, gives Options.Inventory: a name its list lacks fails with the
// provider's error text ("error fetching datacenter: datacenter 'X' not
// found"). The inventory travels with the run's Options, so parallel runs
// may give different ones.
//
// RandomPassword answers are deterministic and drawn from exactly the
// character classes the inputs allow (CannedPassword), so a test can check
// that the consumer of a generated secret accepts every character it may
// get.
//
// # Echo mode
//
// Options.EchoInputs answers like the simplest mock a user writes: a
// resource's state is its inputs and nothing else (invokes keep their
// canned answers, since a lookup's data is not the resource's own). A
// component must then fail with an error or finish, never panic. Run turns
// a panic of the program into an error that says "panicked", so one
// broken case does not take the test binary down (a panic inside an
// ApplyT callback runs on the SDK's goroutine and still does). Export a
// component's outputs (ExportOutputs) so the run ends with the error of
// any output that could not be computed.
//
// # Adding answers
//
// RegisterState and RegisterInvoke (or RegisterRunInvoke, for an answer
// that depends on the run's Options) add or replace the answer for a token,
// for every run in the process; call them from an init function or
// TestMain. An invoke without an answer fails the run with an error naming
// its token.
//
// The kit imports only the Pulumi SDK: answers are keyed by token strings,
// so a test that uses it compiles no provider SDK the component under test
// does not already need.
package testkit
