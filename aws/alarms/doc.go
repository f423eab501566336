// Package alarms notifies people when the AWS web tier is unwell: one SNS
// topic (with an email subscription when an address is given) and
// CloudWatch metric alarms on what the other aws/ components build — ALB
// 5xx and unhealthy hosts per load balancer, Auto Scaling in-service
// capacity, RDS CPU, free storage and replica lag, ElastiCache CPU,
// evictions and replication lag, DMS CDC latency, and Shield's
// DDoSDetected. Every alarm sends both ALARM and OK to the topic.
//
// DMS task state is not a metric: an EventBridge rule sends the task's
// "DMS Replication Task State Change" events (stopped, failed, ...) to the
// topic, whose policy lets exactly that rule, and CloudWatch alarms of this
// account, publish.
//
// CloudWatch alarms live in the region of their metric. CloudFront's
// DDoSDetected is published in us-east-1, so alarms on global resources take
// a us-east-1 provider and a topic there (created when not given).
//
// Inputs are ids, names and ARN suffixes, so the component works with
// resources built anywhere; the number of alarms follows the plain lists
// (Elements turns an array output of known length into such a list).
package alarms
