package network

// Validate reports every problem of args for a network called name (the
// name NewNetwork will get), as NewNetwork would, without registering
// anything: a program can check all its components before it creates the
// first one.
func (args *NetworkArgs) Validate(name string) error {
	_, _, err := args.validate(name)
	return err
}
