package webtier

// Validate reports every problem of args for a web tier called name (the
// name NewWebTier will get), as NewWebTier would, without registering
// anything: a program can check all its components before it creates the
// first one.
func (args *WebTierArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}
