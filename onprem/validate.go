package onprem

// Validate reports every problem of args for a tier called name (the name
// NewWebTier will get), as NewWebTier would (it renders every node's
// documents too), without registering anything: a program can check the
// tier before it creates the first resource.
func (a *WebTierArgs) Validate(name string) error {
	_, err := a.plan(name)
	return err
}
