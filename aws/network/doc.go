// Package network builds the VPC of one environment on AWS: public, app and
// data subnets in each of two or more availability zones, carved from the
// VPC CIDR by a fixed scheme (see SubnetCIDR); an internet gateway for the
// public tier; NAT gateways (one per AZ, or one shared) for the app tier;
// an isolated data tier; an S3 gateway endpoint on the private route tables;
// and VPC flow logs to CloudWatch Logs through a role that can write only
// to its own log group. Route tables are outputs, so the transit component
// can add routes to on-premises and the peer VPC.
package network
