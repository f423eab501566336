package cache

// Validate reports every problem of args, as NewCache would, without
// registering anything: a program can check all its components before it
// creates the first one.
func (args *CacheArgs) Validate() error {
	_, err := args.validate()
	return err
}
