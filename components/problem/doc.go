// Package problem is the error contract of the components: validating its
// args, a component reports every problem at once, each as a Problem with
// the component's name, the field path in the args (Go field names:
// "Web.InstanceType", "Contacts[0].Email") and what is wrong. Err returns
// them as one *Error whose text is one "component: field: message" line
// per problem, so a person reads it as it is, and a program (the stacks
// package) takes the problems apart with Of and reports each one under the
// config key that fed the field, without parsing text.
package problem
