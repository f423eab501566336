// Package datatier holds what the data tiers in the data subnets (the RDS
// database and the ElastiCache cache) share: their placement (data subnets,
// VPC and the security groups allowed to reach them), a security group that
// admits only those groups on one port and lets nothing out, the
// production options that keep stateful resources, and the name of the
// final snapshot taken when a production tier is deleted.
package datatier
