// Package webtier builds the WEB and WAS tiers on AWS: a public ALB in
// front of an Auto Scaling Group of Apache httpd instances, which proxy
// with mod_proxy_http to an internal ALB in front of an Auto Scaling Group
// of Tomcat instances. Each group spans every app subnet (AZ), replaces
// instances the ALB finds unhealthy (ELB health checks), scales on average
// CPU, and rolls through an instance refresh whenever its launch template
// changes (the group pins the template's latest version number, never
// "$Latest"). Launch templates require IMDSv2, encrypt the root volume, and
// carry the same cloud-init the on-prem nodes boot with (components/roles),
// with ARNs and endpoints but no secret. Instance profiles allow SSM
// Session Manager (no SSH) and, for the app tier only, reading exactly the
// database and cache secrets. Security groups chain public ALB -> web ->
// internal ALB -> WAS, and WasSecurityGroupID is what the database and
// cache admit.
package webtier
