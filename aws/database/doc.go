// Package database builds a Multi-AZ RDS database (MySQL or PostgreSQL) in
// the data subnets: a subnet group, a parameter group with the binlog or
// logical-replication settings that change-data-capture (DMS) needs,
// encrypted gp3 storage with autoscaling, automated backups, Performance
// Insights, log exports, optional read replicas, and a security group that
// admits only the given security groups on the engine port. The master
// password is generated and stored by RDS in Secrets Manager
// (ManageMasterUserPassword): it never passes through Pulumi state; the
// secret's ARN is an output for the instances that need it. In production
// the primary has deletion protection, a final snapshot, and Pulumi
// protect and retainOnDelete.
package database
