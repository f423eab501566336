package cache

// Validate reports every problem of args for a cache called name (the name
// NewCache will get), as NewCache would, without registering anything: a
// program can check all its components before it creates the first one.
func (args *CacheArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}
