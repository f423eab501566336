// Package problem is the error contract of the components: validating its
// args, a component reports every problem at once, each as a Problem with
// the component's name, the name of the instance (the name its constructor
// or Validate got), the field path in the args (Go field names:
// "Web.InstanceType", "Contacts[0].Email") and what is wrong. Err returns
// them as one *Error whose text is one line per problem, so a person reads
// it as it is, and a program (the stacks package) takes the problems apart
// with Of and reports each one under the config key that fed the field,
// without parsing text.
//
// Every error a component returns has one format, so a program with two
// databases tells them apart:
//
//	database "orders": SubnetIDs: required
//	database "billing": RDS returned no master user secret ...
//
// `<component> "<instance>": <field>: <message>` for a problem of a field
// (Problem.String), `<component> "<instance>": <message>` for any other
// error (Errorf). A pure function without an instance (a renderer's check)
// leaves the instance out: `roles: lbs: need exactly 2 load balancers`.
package problem
