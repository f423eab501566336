package webtier

// Validate reports every problem of args, as NewWebTier would, without
// registering anything: a program can check all its components before it
// creates the first one.
func (args *WebTierArgs) Validate() error {
	_, err := args.validate()
	return err
}
