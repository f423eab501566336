// Package migration moves the legacy on-premises database into RDS with AWS
// DMS and keeps it in step until cut-over: a replication subnet group in the
// data subnets, a Multi-AZ replication instance that is not publicly
// accessible, a security group that reaches only the legacy database (over
// the VPN CIDRs) and the RDS security group, a source endpoint for the legacy
// database (its password is a Pulumi secret), a target endpoint that reads
// the RDS-managed master secret through an IAM role allowed to read exactly
// that secret, table mappings generated from "schema.table" patterns, and a
// full-load-and-CDC replication task with CloudWatch logging.
//
// DMS looks up two account-wide roles by name, dms-vpc-role and
// dms-cloudwatch-logs-role. Only one stack per account may own them, so they
// are created only when asked (CreateAccountRoles). IAM is eventually
// consistent: a role that exists is not yet usable everywhere, and DMS
// rejects a subnet group, instance or endpoint whose role it cannot assume
// yet. Ordering alone is not enough, so a short local sleep (a pulumi-command
// local.Command, re-run only when a role ARN changes) sits between the roles
// and everything that uses them.
package migration
