// Package aws holds the AWS side of hawebtier as one sub-package per
// component, so a program that needs only a database compiles only what the
// database uses: network (a VPC over two or more availability zones with
// public, app and data subnets, NAT, an S3 gateway endpoint and flow logs),
// webtier (a public ALB in front of the WEB Auto Scaling Group and an
// internal ALB in front of the WAS group, launched from templates that carry
// the rendered httpd/Tomcat configuration as cloud-init user-data), database
// (Multi-AZ RDS for MySQL or PostgreSQL with an RDS-managed master password)
// and cache (an encrypted ElastiCache Redis replication group whose auth
// token lives in Secrets Manager), plus edge, transit, migration and alarms.
// Each component takes ids and providers as arguments and works on its own;
// security groups chain so each tier admits only the tier in front of it,
// and in production everything stateful is deletion-protected, snapshotted
// on delete and protected in Pulumi.
package aws
