package onprem

import "errors"

// Validate reports every problem of args, as NewWebTier would (it renders
// every node's documents too), without registering anything: a program can
// check the tier before it creates the first resource.
func (a *WebTierArgs) Validate() error {
	if a == nil {
		return errors.New("onprem: WebTierArgs: nil")
	}
	_, err := a.plan()
	return err
}
