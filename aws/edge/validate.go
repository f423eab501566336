package edge

// Validate reports every problem of args for an edge named name, as NewEdge
// would, without registering anything: a program can check all its
// components before it creates the first one.
func (args *EdgeArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}
