package network

// Validate reports every problem of args, as NewNetwork would, without
// registering anything: a program can check all its components before it
// creates the first one.
func (args *NetworkArgs) Validate() error {
	_, _, err := args.validate()
	return err
}
